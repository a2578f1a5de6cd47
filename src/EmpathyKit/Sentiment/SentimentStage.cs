using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Annotates the turn with the sentiment and emotions of the user's message, for the responder to name feelings, and
/// with the mood trajectory: the valence of every user message in the history it was given, and its trend.
/// </summary>
/// <remarks>
/// Sees raw text in-process; never blocks the turn. The trajectory covers the history window the pipeline was given
/// (<c>MaxHistoryMessages</c>). Fails open: on error the turn continues without sentiment.
/// </remarks>
internal sealed class SentimentStage : PipelineStage
{
    private readonly ISentimentAnalyzer _analyzer;
    private readonly ILogger _logger;

    public SentimentStage(IChatClient inner, ISentimentAnalyzer analyzer, ILogger logger)
        : base(inner, PipelineStageNames.Sentiment)
    {
        _analyzer = analyzer;
        _logger = logger;
    }

    protected override async ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        await AnalyzeAsync(turn.Received, turn.Report, cancellationToken).ConfigureAwait(false);
        return StageDecision.Continue;
    }

    /// <summary>Valence per user turn, its least-squares slope per turn, and this turn against the mean of the earlier ones.</summary>
    internal static MoodTrajectory Trajectory(IReadOnlyList<double> valences)
    {
        int n = valences.Count;
        if (n < 2)
        {
            return new MoodTrajectory(valences, 0, 0);
        }

        double meanX = (n - 1) / 2.0, meanY = valences.Average(), covariance = 0, variance = 0;
        for (int i = 0; i < n; i++)
        {
            covariance += (i - meanX) * (valences[i] - meanY);
            variance += (i - meanX) * (i - meanX);
        }

        double earlier = valences.Take(n - 1).Average();
        return new MoodTrajectory(valences, Math.Round(covariance / variance, 4), Math.Round(valences[n - 1] - earlier, 4));
    }

    private async ValueTask AnalyzeAsync(IReadOnlyList<ChatMessage> list, TurnReport report, CancellationToken cancellationToken)
    {
        try
        {
            var valences = new List<double>();
            SentimentResult? current = null;
            foreach (ChatMessage message in list)
            {
                if (message.Role == ChatRole.User)
                {
                    current = await _analyzer.AnalyzeAsync(message.Text, cancellationToken).ConfigureAwait(false);
                    valences.Add(current.Valence);
                }
            }

            report.Sentiment = current ?? await _analyzer.AnalyzeAsync(string.Empty, cancellationToken).ConfigureAwait(false);
            report.Mood = Trajectory(valences);
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
