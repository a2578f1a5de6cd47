using System.Diagnostics;
using EmpathyKit.Crisis;
using EmpathyKit.Diagnostics;
using EmpathyKit.Handoff;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Assesses the user's message with the conversation's earlier user turns. At or above the short-circuit level it
/// answers with a safe crisis reply (crisis line and emergency number) and never calls the inner stages or the provider.
/// </summary>
/// <remarks>
/// <para>Sees raw text in-process. Fails safe: a detector that throws yields a high assessment (<c>detector_error</c>).</para>
/// <para>
/// While an operator holds the conversation (the control stage outside says so), the message is assessed and the turn
/// is relayed, never answered inward; a request for a person is answered with the hand-over reply unless the risk
/// reaches the short-circuit level.
/// </para>
/// <para>
/// With a second opinion, the built-in assessment still decides first (a short-circuit does not wait for the second
/// opinion, which is then not asked). Otherwise the second opinion runs concurrently with the inner call, and the reply
/// is released only when both have finished (streamed updates are held until then). A second opinion at or above the
/// short-circuit level replaces the reply with the crisis reply (the inner call is cancelled and its text discarded);
/// a higher one below it raises the turn's assessment (<c>second_opinion</c>) and the reply stands; a lower one never
/// lowers the risk; a failure or a timeout leaves the built-in assessment (<c>second_opinion_unavailable</c>). The
/// second opinion never touches the report: the stage writes the combined assessment once the inner call has finished
/// or been stopped (streaming, a held read may still be in flight when the held updates are released).
/// </para>
/// </remarks>
internal sealed class CrisisStage : PipelineStage
{
    private readonly ICrisisDetector _detector;
    private readonly CrisisSecondOpinion? _secondOpinion;
    private readonly CrisisReplyBuilder _replies;
    private readonly CrisisOptions _options;
    private readonly ILogger _logger;

    public CrisisStage(IChatClient inner, ICrisisDetector detector, CrisisSecondOpinion? secondOpinion, CrisisReplyBuilder replies, CrisisOptions options, ILogger logger)
        : base(inner, PipelineStageNames.Crisis)
    {
        _detector = detector;
        _secondOpinion = secondOpinion;
        _replies = replies;
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets the second opinion this stage asks, if any (for tests and diagnostics).</summary>
    internal CrisisSecondOpinion? SecondOpinion => _secondOpinion;

    protected override async ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        CrisisInput input = InputOf(turn);
        CrisisAssessment assessment = await AssessAsync(input, turn.Report, cancellationToken).ConfigureAwait(false);
        if (HandoffTurn.Get(turn.Options) is { } handoff && (handoff.Relay || !assessment.Reaches(_options.ShortCircuitLevel)))
        {
            // An operator holds the conversation: assessed (so escalation and the transcript see the risk), then relayed,
            // never answered by the bot; at the short-circuit level the user is shown the crisis lines. Or the user asked
            // for a person: the hand-over reply, unless the crisis reply takes precedence. No second opinion either way.
            Settle(turn.Activity, assessment, outcome: null);
            string text = handoff.Relay && !assessment.Reaches(_options.ShortCircuitLevel) ? string.Empty : _replies.Fill(handoff.Template, turn.Report.Country);
            return StageDecision.Reply(new StageAnswer(text, ChatFinishReason.Stop, handoff.Source));
        }

        if (assessment.Reaches(_options.ShortCircuitLevel) || _secondOpinion is null)
        {
            Settle(turn.Activity, assessment, outcome: null);
            return assessment.Reaches(_options.ShortCircuitLevel) ? StageDecision.Reply(CrisisReply(assessment, turn.Report)) : StageDecision.Continue;
        }

        // The inner call runs beside the second opinion; its reply is held until the second opinion has decided.
        var pending = new PendingOpinion(assessment, _secondOpinion.AskAsync(input, cancellationToken));
        turn.State = pending;
        return StageDecision.ContinueUnless(DecideAsync(pending, turn.Report));
    }

    /// <summary>
    /// Writes the combined assessment once the inner call has finished or been stopped: the inner stages read the report
    /// while they run, and the stages outside (escalation, transcript) read it after this.
    /// </summary>
    protected override ValueTask AfterTurnAsync(StageTurn turn, TurnEnd end)
    {
        if (turn.State is PendingOpinion { Decided: { } decided })
        {
            Conclude(turn.Report, turn.Activity, decided.Combined, decided.Answer, decided.Outcome);
            if (decided.Outcome == SecondOpinionOutcome.ShortCircuited)
            {
                ClearInnerReply(turn.Report);
            }
        }

        return default;
    }

    private async Task<StageAnswer?> DecideAsync(PendingOpinion pending, TurnReport report)
    {
        // Throws only when the turn is cancelled.
        SecondOpinionAnswer answer = await pending.Asked.ConfigureAwait(false);
        (CrisisAssessment combined, SecondOpinionOutcome outcome) = CrisisSecondOpinion.Combine(pending.Assessment, answer, _options.ShortCircuitLevel);
        pending.Decided = new DecidedOpinion(combined, answer, outcome);

        // A second opinion at the short-circuit level replaces whatever the inner call produced with the crisis reply.
        return outcome == SecondOpinionOutcome.ShortCircuited ? CrisisReply(combined, report) : null;
    }

    private static void ClearInnerReply(TurnReport report)
    {
        // What the inner stages recorded about a reply the user never sees (the transcript stores the crisis reply).
        report.RedactedReply = null;
        report.Guard = null;
        report.Empathy = null;
    }

    private StageAnswer CrisisReply(CrisisAssessment assessment, TurnReport report) =>
        new(_replies.Build(assessment, report.Country), ChatFinishReason.Stop, ReplySource.CrisisResponse);

    private void Conclude(TurnReport report, Activity? activity, CrisisAssessment combined, SecondOpinionAnswer answer, SecondOpinionOutcome outcome)
    {
        report.Crisis = combined;
        if (outcome is SecondOpinionOutcome.Failed or SecondOpinionOutcome.TimedOut)
        {
            Log.SecondOpinionUnavailable(_logger, CrisisSecondOpinion.WireName(outcome), answer.FailureType ?? "none");
        }

        EmpathyKitTelemetry.SecondOpinions.Add(1, new KeyValuePair<string, object?>("outcome", CrisisSecondOpinion.WireName(outcome)));
        Settle(activity, combined, outcome);
    }

    private static void Settle(Activity? activity, CrisisAssessment assessment, SecondOpinionOutcome? outcome)
    {
        activity?.SetTag("empathykit.risk_level", assessment.Level.ToWireName());
        if (outcome is { } o)
        {
            activity?.SetTag("empathykit.second_opinion", CrisisSecondOpinion.WireName(o));
        }

        EmpathyKitTelemetry.CrisisAssessments.Add(1, new KeyValuePair<string, object?>("level", assessment.Level.ToWireName()));
    }

    private CrisisInput InputOf(StageTurn turn)
    {
        IReadOnlyList<ChatMessage> messages = turn.Received;
        string text = turn.LastUserText;
        List<string> earlier = [];
        bool skippedLast = false;
        for (int i = messages.Count - 1; i >= 0 && earlier.Count < _options.MemoryTurns; i--)
        {
            if (messages[i].Role != ChatRole.User)
            {
                continue;
            }

            if (!skippedLast)
            {
                skippedLast = true;
                continue;
            }

            earlier.Add(messages[i].Text);
        }

        earlier.Reverse();
        return new CrisisInput(text, earlier);
    }

    private async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, TurnReport report, CancellationToken cancellationToken)
    {
        CrisisAssessment assessment;
        try
        {
            assessment = await _detector.AssessAsync(input, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The crisis detector returned no assessment.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail safe: any detector failure means "treat as at risk".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CrisisDetectorFailed(_logger, ex.GetType().Name);
            CountFailure();
            assessment = CrisisAssessment.DetectorFailure;
        }

        // The inner stages (disclaimers, system prompt) see the built-in assessment; a second opinion may raise it later.
        report.Crisis = assessment;
        return assessment;
    }

    /// <summary>The built-in assessment and the second opinion asked beside the inner call.</summary>
    private sealed class PendingOpinion(CrisisAssessment assessment, Task<SecondOpinionAnswer> asked)
    {
        public CrisisAssessment Assessment { get; } = assessment;

        public Task<SecondOpinionAnswer> Asked { get; } = asked;

        public DecidedOpinion? Decided { get; set; }
    }

    private sealed record DecidedOpinion(CrisisAssessment Combined, SecondOpinionAnswer Answer, SecondOpinionOutcome Outcome);
}
