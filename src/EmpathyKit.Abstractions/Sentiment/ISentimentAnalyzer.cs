namespace EmpathyKit;

/// <summary>Scores the valence and emotions of a message.</summary>
/// <remarks>Implementations are thread-safe, in-process and must not log the text.</remarks>
public interface ISentimentAnalyzer
{
    /// <summary>Analyses one message.</summary>
    /// <param name="text">The message.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    /// <returns>The valence and emotions.</returns>
    ValueTask<SentimentResult> AnalyzeAsync(string text, CancellationToken cancellationToken = default);
}
