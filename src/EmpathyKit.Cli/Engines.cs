using EmpathyKit.Crisis;
using EmpathyKit.Empathy;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;

namespace EmpathyKit.Cli;

/// <summary>The built-in engines, created directly (the CLI needs no pipeline or DI).</summary>
internal sealed class Engines
{
    public Engines(TimeProvider? time = null)
    {
        PiiDetector = RecognizerPiiDetector.CreateDefault();
        Redactor = new PlaceholderRedactor(PiiDetector, new PiiOptions(), time ?? TimeProvider.System);
        Crisis = EmpathyKit.Crisis.Constructs.ConstructCrisisDetector.Default;
        Sentiment = new LexiconSentimentAnalyzer();
        Empathy = new EpitomeScorer();
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
