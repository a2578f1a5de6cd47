using System.Runtime.CompilerServices;
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
internal sealed class DisclaimerStage : EmpathyStage
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

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        string suffix = Select(list, report);
        ChatResponse response = await base.GetResponseAsync(list, effective, cancellationToken).ConfigureAwait(false);
        return suffix.Length == 0 ? response : ChatContentRewriter.WithText(response, response.Text + suffix);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        string suffix = Select(list, report);
        ChatFinishReason? finish = null;
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, effective, cancellationToken).ConfigureAwait(false))
        {
            finish ??= update.FinishReason;
            yield return update;
        }

        if (suffix.Length > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, suffix) { FinishReason = finish };
        }
    }

    private string Select(IReadOnlyList<ChatMessage> messages, TurnReport report)
    {
        try
        {
            var context = new DisclaimerContext(report.TurnIndex, report.Crisis?.Level ?? RiskLevel.None, LastUserText(messages), report.Country);
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
}
