using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// After the crisis stage has assessed the turn, alerts humans through every escalation handler when the risk reached
/// <see cref="EmpathyKitOptions.EscalationLevel"/>. Handlers get ids, level, categories and signals, never text.
/// </summary>
/// <remarks>
/// A handler that throws is logged and counted, and the others still run; the turn is never failed by escalation.
/// When streaming, the escalation is raised as soon as the first piece of the reply arrives.
/// </remarks>
internal sealed class EscalationStage : PipelineStage
{
    private readonly IReadOnlyList<IEscalationHandler> _handlers;
    private readonly RiskLevel _level;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EscalationStage(IChatClient inner, IEnumerable<IEscalationHandler> handlers, RiskLevel level, TimeProvider time, ILogger logger)
        : base(inner, PipelineStageNames.Escalation)
    {
        _handlers = [.. handlers];
        _level = level;
        _time = time;
        _logger = logger;
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

        var escalation = new EscalationEvent(Guid.CreateVersion7().ToString(), report.ConversationId ?? string.Empty, assessment, _time.GetUtcNow());
        report.Escalation = await EscalationDispatch.RaiseAsync(_handlers, escalation, _logger).ConfigureAwait(false);
    }
}
