using EmpathyKit.Crisis;
using EmpathyKit.Empathy;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;

namespace EmpathyKit.Cli;

/// <summary>The built-in engines with the default options, from <see cref="BuiltInEngines"/> as a pipeline builds them (the CLI needs no pipeline or DI).</summary>
internal sealed class Engines
{
    public Engines(TimeProvider? time = null)
    {
        var options = new EmpathyKitOptions();
        PiiDetector = BuiltInEngines.PiiDetector(options.Pii, CrisisDirectory.Default);
        Redactor = BuiltInEngines.PiiRedactor(PiiDetector, options.Pii, time ?? TimeProvider.System);
        Crisis = BuiltInEngines.CrisisDetector();
        Sentiment = BuiltInEngines.SentimentAnalyzer();
        Empathy = BuiltInEngines.EmpathyScorer();
    }

    public RecognizerPiiDetector PiiDetector { get; }

    public PlaceholderRedactor Redactor { get; }

    public ICrisisDetector Crisis { get; }

    public ISentimentAnalyzer Sentiment { get; }

    public IEmpathyScorer Empathy { get; }

    /// <summary>
    /// Loads the redaction, crisis and sentiment engines' data and code paths side by side (one short neutral call each),
    /// so a cold run pays the slowest engine's start rather than the sum of all three.
    /// </summary>
    /// <param name="cancellationToken">Cancels the warm-up.</param>
    /// <returns>A task that completes when every engine has answered once.</returns>
    public Task WarmUpAsync(CancellationToken cancellationToken)
    {
        const string Neutral = "I took the bus to work and called Sam Lee at 12 High Street.";
        return Task.WhenAll(
            Task.Run(
                async () =>
                {
                    const string Scope = "warm-up";
                    try
                    {
                        await Redactor.RedactAsync(Scope, Neutral, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Redactor.Forget(Scope);
                    }
                },
                cancellationToken),
            Task.Run(async () => await Crisis.AssessAsync(new CrisisInput(Neutral, []), cancellationToken).ConfigureAwait(false), cancellationToken),
            Task.Run(async () => await Sentiment.AnalyzeAsync(Neutral, cancellationToken).ConfigureAwait(false), cancellationToken));
    }
}
