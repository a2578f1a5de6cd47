using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Reads the conversation's control state before the turn and acts on it: while an operator holds the conversation the
/// turn is relayed (assessed, stored, escalated, passed to the operator; the bot does not answer); a request for a
/// person is answered with the hand-over reply and recorded, so the conversation is on the operators' queue.
/// </summary>
/// <remarks>
/// Sits inside the transcript stage and outside escalation, so it sees the escalation a turn raised and the transcript
/// stores every relayed message. Sees raw text (only to recognise a request for a person). Fails towards the bot: a
/// control state that cannot be read leaves the bot answering (crisis detection and escalation run as always); a state
/// that cannot be written is logged and the turn is still answered.
/// </remarks>
internal sealed class ControlStage : PipelineStage
{
    private readonly IConversationControlStore _store;
    private readonly HandoffHub _hub;
    private readonly HandoffOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ControlStage(IChatClient inner, IConversationControlStore store, HandoffHub hub, HandoffOptions options, TimeProvider time, ILogger logger)
        : base(inner, PipelineStageNames.Control)
    {
        _store = store;
        _hub = hub;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        if (turn.IsContinuation || turn.Report.ConversationId is not { Length: > 0 } conversationId)
        {
            return StageDecision.Continue;
        }

        ConversationControlState? state = null;
        try
        {
            state = await _store.GetControlAsync(conversationId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fails towards the bot answering: the user is never left without a reply.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ControlReadFailed(_logger, ex.GetType().Name);
        }

        ConversationControl control = state?.Control ?? ConversationControl.Bot;
        turn.Report.Control = control;
        bool asks = control != ConversationControl.Human && AsksForPerson(turn.LastUserText);
        turn.State = new Plan(conversationId, state, asks);
        if (control == ConversationControl.Human)
        {
            string name = state!.OperatorName ?? "A person from our team";
            turn.Report.OperatorName = name;
            Mark(turn, HandoffTurn.ForRelay(_options.RelayedCrisisNotice.Replace("{name}", name, StringComparison.Ordinal)));
        }
        else if (asks)
        {
            string answer = !_options.Enabled ? _options.UnavailableReply
                : control == ConversationControl.HumanRequested ? _options.AlreadyRequestedReply
                : _options.OfferReply;
            Mark(turn, HandoffTurn.ForAnswer(answer));
        }

        return StageDecision.Continue;
    }

    protected override async ValueTask AfterTurnAsync(StageTurn turn, TurnEnd end)
    {
        if (turn.State is not Plan plan)
        {
            return;
        }

        TurnReport report = turn.Report;
        DateTimeOffset now = _time.GetUtcNow();
        RiskLevel level = report.Crisis?.Level ?? RiskLevel.None;
        string tenant = plan.State?.Tenant ?? turn.Options.GetTranscriptTarget()?.Address.Tenant ?? TranscriptAddress.DefaultTenant;
        if (plan.State?.Control == ConversationControl.Human)
        {
            _hub.Publish(new OperatorEvent(OperatorEventKind.UserMessage, plan.ConversationId, now, ConversationControl.Human, level) { AssignedTo = plan.State.AssignedTo });
        }
        else if (plan.Asks && _options.Enabled && plan.State?.Control != ConversationControl.HumanRequested)
        {
            // Recorded whether the hand-over reply or the crisis reply went out: a person is wanted either way. The user
            // was told one was asked for, so a change that came first (or a state that could not be read before the
            // turn) is read again and the request applied over it, unless a person already holds or was asked for it.
            ConversationControlState? current = plan.State;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                ConversationControlState requested = Requested(current, plan.ConversationId, tenant, now);
                if (await TrySetAsync(requested, current?.Version ?? 0, "human_requested").ConfigureAwait(false))
                {
                    report.Control = ConversationControl.HumanRequested;
                    _hub.Publish(new OperatorEvent(OperatorEventKind.HumanRequested, plan.ConversationId, now, ConversationControl.HumanRequested, level) { AssignedTo = requested.AssignedTo });
                    break;
                }

                current = await ReadAgainAsync(plan.ConversationId).ConfigureAwait(false);
                if (current?.Control is ConversationControl.HumanRequested or ConversationControl.Human)
                {
                    break;
                }
            }
        }

        if (report.Escalation is { } escalation)
        {
            // The operators' console reads the conversation by its tenant: an escalated conversation gets a row if it has none.
            if (plan.State is null && !(plan.Asks && _options.Enabled))
            {
                await TrySetAsync(new ConversationControlState(plan.ConversationId, tenant, ConversationControl.Bot, now), 0, "escalated").ConfigureAwait(false);
            }

            _hub.Publish(new OperatorEvent(OperatorEventKind.Escalated, plan.ConversationId, now, report.Control, level) { AssignedTo = plan.State?.AssignedTo, EscalationId = escalation.EscalationId });
        }
    }

    private bool AsksForPerson(string text)
    {
        try
        {
            return HumanRequestDetector.IsRequest(text);
        }
#pragma warning disable CA1031 // Not a request, rather than a failed turn: the bot answers as usual.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HumanRequestCheckFailed(_logger, ex.GetType().Name);
            return false;
        }
    }

    // After a close the request starts afresh: the conversation belongs to nobody until someone claims it.
    private static ConversationControlState Requested(ConversationControlState? current, string conversationId, string tenant, DateTimeOffset now)
    {
        bool fresh = current is null or { Control: ConversationControl.Closed };
        return (current ?? new ConversationControlState(conversationId, tenant, ConversationControl.Bot, now)) with
        {
            Control = ConversationControl.HumanRequested,
            ChangedAt = now,
            RequestedAt = now,
            Outcome = null,
            AssignedTo = fresh ? null : current!.AssignedTo,
            OperatorName = fresh ? null : current!.OperatorName,
        };
    }

    private async ValueTask<ConversationControlState?> ReadAgainAsync(string conversationId)
    {
        try
        {
            return await _store.GetControlAsync(conversationId, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; the turn was answered.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ControlReadFailed(_logger, ex.GetType().Name);
            return null;
        }
    }

    private static void Mark(StageTurn turn, HandoffTurn handoff)
    {
        // A clone: the caller's options are never changed.
        turn.Options = turn.Options.Clone();
        HandoffTurn.Set(turn.Options, handoff);
    }

    private async ValueTask<bool> TrySetAsync(ConversationControlState state, long expectedVersion, string change)
    {
        try
        {
            // Not cancelled with the turn: a request the user made is not dropped because they stopped reading.
            return await _store.TrySetControlAsync(state, expectedVersion, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; the turn was answered.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ControlWriteFailed(_logger, change, ex.GetType().Name);
            return false;
        }
    }

    private sealed record Plan(string ConversationId, ConversationControlState? State, bool Asks);
}
