using BenchmarkDotNet.Attributes;
using EmpathyKit.Crisis;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;

namespace EmpathyKit.Benchmarks;

/// <summary>The in-process engines on single messages.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly RecognizerPiiDetector _detector = RecognizerPiiDetector.CreateDefault();
    private PlaceholderRedactor _redactor = null!;
    private readonly CrisisInput _conversation = new("where can I get a gun today", ["I lost my job", "I feel worthless", "nobody would notice"]);

    private readonly CrisisInput _twentyTurns = new(
        "anyway what's the tallest bridge near here",
        [.. Enumerable.Range(0, 19).Select(i => i % 4 == 0 ? "I can't sleep and work has been awful" : i % 4 == 1 ? "my sister called and we argued again" : i % 4 == 2 ? "I feel so tired of everything lately" : "maybe I'll go for a walk later")]);

    [GlobalSetup]
    public void Setup() => _redactor = new PlaceholderRedactor(_detector, new PiiOptions(), TimeProvider.System);

    [Benchmark]
    public CrisisAssessment Crisis_100_chars() => PhraseCrisisDetector.Assess(CrisisInput.ForMessage(Messages.Short));

    [Benchmark]
    public CrisisAssessment Crisis_4_turn_conversation() => PhraseCrisisDetector.Assess(_conversation);

    [Benchmark]
    public CrisisAssessment Crisis_20_turn_conversation() => PhraseCrisisDetector.Assess(_twentyTurns);

    [Benchmark]
    public CrisisAssessment Crisis_neutral_100_chars() => PhraseCrisisDetector.Assess(CrisisInput.ForMessage(Messages.Neutral));

    [Benchmark]
    public CrisisAssessment Crisis_2_KB() => PhraseCrisisDetector.Assess(CrisisInput.ForMessage(Messages.Long));

    [Benchmark]
    public IReadOnlyList<PiiEntity> Pii_detect_100_chars() => _detector.Detect(Messages.Short);

    [Benchmark]
    public RedactionResult Pii_redact_100_chars() => _redactor.RedactAsync("bench", Messages.Short).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public RedactionResult Pii_redact_100_chars_with_number() => _redactor.RedactAsync("bench", Messages.ShortWithNumber).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public IReadOnlyList<PiiEntity> Pii_detect_2_KB() => _detector.Detect(Messages.Long);

    [Benchmark]
    public SentimentResult Sentiment_100_chars() => LexiconSentimentAnalyzer.Analyze(Messages.Short);
}
