using System.Runtime.CompilerServices;
using EmpathyKit.Crisis;
using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Assesses the user's message with the conversation's earlier user turns. At or above the short-circuit level it
/// answers with a safe crisis reply (crisis line and emergency number) and never calls the inner stages or the provider.
/// </summary>
/// <remarks>Sees raw text in-process. Fails safe: a detector that throws yields a high assessment (<c>detector_error</c>).</remarks>
internal sealed class CrisisStage : EmpathyStage
{
    private readonly ICrisisDetector _detector;
    private readonly CrisisReplyBuilder _replies;
    private readonly CrisisOptions _options;
    private readonly ILogger _logger;

    public CrisisStage(IChatClient inner, ICrisisDetector detector, CrisisReplyBuilder replies, CrisisOptions options, ILogger logger)
        : base(inner, PipelineStageNames.Crisis)
    {
        _detector = detector;
        _replies = replies;
        _options = options;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        CrisisAssessment assessment = await AssessAsync(list, report, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("empathykit.risk_level", assessment.Level.ToWireName());
        if (assessment.Reaches(_options.ShortCircuitLevel))
        {
            report.ReplySource = ReplySource.CrisisResponse;
            return StageReply(_replies.Build(assessment, report.Country), report, ChatFinishReason.Stop);
        }

        return await base.GetResponseAsync(list, effective, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        CrisisAssessment assessment = await AssessAsync(list, report, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("empathykit.risk_level", assessment.Level.ToWireName());
        if (assessment.Reaches(_options.ShortCircuitLevel))
        {
            report.ReplySource = ReplySource.CrisisResponse;
            yield return StageUpdate(_replies.Build(assessment, report.Country), ChatFinishReason.Stop);
            yield break;
        }

        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, effective, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async ValueTask<CrisisAssessment> AssessAsync(IReadOnlyList<ChatMessage> messages, TurnReport report, CancellationToken cancellationToken)
    {
        string text = LastUserText(messages);
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
        CrisisAssessment assessment;
        try
        {
            assessment = await _detector.AssessAsync(new CrisisInput(text, earlier), cancellationToken).ConfigureAwait(false);
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

        report.Crisis = assessment;
        EmpathyKitTelemetry.CrisisAssessments.Add(1, new KeyValuePair<string, object?>("level", assessment.Level.ToWireName()));
        return assessment;
    }
}
