using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// After the crisis stage has assessed the turn, raises an escalation when the risk reached
/// <see cref="EmpathyKitOptions.EscalationLevel"/>: written to the durable outbox before the reply is released, then
/// delivered to every channel by the outbox's worker. Channels get ids, level, rung, categories and signals, never text.
/// </summary>
/// <remarks>
/// The turn is never failed by escalation (see <see cref="EscalationRaiser"/> for an outbox that cannot be written).
/// When streaming, the escalation is raised as soon as the first piece of the reply arrives.
/// </remarks>
internal sealed class EscalationStage : PipelineStage
{
    private readonly EscalationRaiser _raiser;
    private readonly RiskLevel _level;

    public EscalationStage(IChatClient inner, EscalationRaiser raiser, RiskLevel level)
        : base(inner, PipelineStageNames.Escalation)
    {
        _raiser = raiser;
        _level = level;

        // A pipeline that can escalate delivers its outbox, with or without a generic host to start the worker: this
        // also delivers what an earlier process left pending.
        raiser.Worker.EnsureStarted();
    }

    // A call that continues a turn after a tool call carries the same user message, already assessed and escalated by
    // the call that asked for the tool: it is not escalated twice.
    protected override ValueTask ReplyStartedAsync(StageTurn turn) => turn.IsContinuation ? default : EscalateIfNeededAsync(turn.Report);

    protected override ValueTask AfterTurnAsync(StageTurn turn, TurnEnd end) => turn.IsContinuation ? default : EscalateIfNeededAsync(turn.Report);

    private async ValueTask EscalateIfNeededAsync(TurnReport report)
    {
        if (report.Escalation is not null || report.Crisis is not { } assessment || !assessment.Reaches(_level))
        {
            return;
        }

        report.Escalation = await _raiser.RaiseAsync(report.ConversationId ?? string.Empty, assessment).ConfigureAwait(false);
    }
}
