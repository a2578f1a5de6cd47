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
}
