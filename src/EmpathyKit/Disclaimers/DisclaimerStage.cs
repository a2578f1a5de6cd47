using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Adds the disclaimers the policy selects (AI disclosure on the first turn and periodically, crisis resources when risk
/// is moderate or above) after the provider's reply. They are selected before the provider is called and recorded in
/// the report, so the output guard can keep them when it replaces a reply.
/// </summary>
/// <remarks>Sees redacted text. Fails open: a policy that throws is logged and the reply is shown without disclaimers.</remarks>
internal sealed class DisclaimerStage : PipelineStage
{
    private readonly IDisclaimerPolicy _policy;
    private readonly ILogger _logger;

    public DisclaimerStage(IChatClient inner, IDisclaimerPolicy policy, ILogger logger)
        : base(inner, PipelineStageNames.Disclaimer)
    {
        _policy = policy;
        _logger = logger;
    }

    /// <summary>Formats disclaimers as the paragraphs appended to a reply.</summary>
    /// <param name="disclaimers">The disclaimers.</param>
    /// <returns>The text to append; empty for none.</returns>
    internal static string Format(IReadOnlyList<Disclaimer> disclaimers) =>
        disclaimers.Count == 0 ? string.Empty : "\n\n" + string.Join("\n\n", disclaimers.Select(d => d.Text));

    protected override ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        turn.State = Select(turn);
        return new(StageDecision.Continue);
    }

    protected override ReplyTransform? CreateReplyTransform(StageTurn turn) =>
        turn.State is string { Length: > 0 } suffix ? new AppendSuffix(suffix) : null;

    private string Select(StageTurn turn)
    {
        TurnReport report = turn.Report;
        try
        {
            var context = new DisclaimerContext(report.TurnIndex, report.Crisis?.Level ?? RiskLevel.None, turn.LastUserText, report.Country);
            foreach (Disclaimer disclaimer in _policy.Select(context))
            {
                report.AddDisclaimer(disclaimer);
            }

            return Format(report.Disclaimers);
        }
#pragma warning disable CA1031 // Fail open: disclaimers never block a reply.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DisclaimerFailed(_logger, ex.GetType().Name);
            CountFailure();
            return string.Empty;
        }
    }

    /// <summary>Shows the reply as it is and the disclaimers after it; a tool-call turn gets none (its final text comes later).</summary>
    private sealed class AppendSuffix(string suffix) : ReplyTransform
    {
        public override ValueTask<ReplyChunk> PushAsync(string text, CancellationToken cancellationToken) => new(new ReplyChunk(text));

        public override ValueTask<ReplyChunk> CompleteAsync(ReplyEnd end, CancellationToken cancellationToken) =>
            new(new ReplyChunk(end.EndsWithFunctionCall ? string.Empty : suffix));
    }
}
