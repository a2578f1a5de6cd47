using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>Annotates the turn with the sentiment and emotions of the user's message, for the responder to name feelings.</summary>
/// <remarks>Sees raw text in-process; never blocks the turn. Fails open: on error the turn continues without sentiment.</remarks>
internal sealed class SentimentStage : EmpathyStage
{
    private readonly ISentimentAnalyzer _analyzer;
    private readonly ILogger _logger;

    public SentimentStage(IChatClient inner, ISentimentAnalyzer analyzer, ILogger logger)
        : base(inner, PipelineStageNames.Sentiment)
    {
        _analyzer = analyzer;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        await AnalyzeAsync(list, report, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, effective, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        await AnalyzeAsync(list, report, cancellationToken).ConfigureAwait(false);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, effective, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async ValueTask AnalyzeAsync(IReadOnlyList<ChatMessage> list, TurnReport report, CancellationToken cancellationToken)
    {
        try
        {
            report.Sentiment = await _analyzer.AnalyzeAsync(LastUserText(list), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail open: sentiment only annotates.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SentimentFailed(_logger, ex.GetType().Name);
            CountFailure();
        }
    }
}
