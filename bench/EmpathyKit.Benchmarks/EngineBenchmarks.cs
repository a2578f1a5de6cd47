using BenchmarkDotNet.Attributes;
using EmpathyKit.Crisis;
using EmpathyKit.Crisis.Constructs;
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

    private static readonly string TwentyKilobytes = string.Join(' ', Enumerable.Repeat(Messages.Long, 10));

    // Uncached: the cost of a turn never seen before. Warm: the detector as a pipeline holds it, earlier turns cached.
    private readonly ConstructCrisisDetector _cold = new(ConstructLexicon.Default, CrisisRiskModel.Default, cacheTurns: false);
    private readonly ConstructCrisisDetector _rulesOnly = new(ConstructLexicon.Default, model: null, cacheTurns: false);
    private readonly ConstructCrisisDetector _warm = new(ConstructLexicon.Default, CrisisRiskModel.Default);
    private int _turn;

    [GlobalSetup]
    public void Setup() => _redactor = new PlaceholderRedactor(_detector, new PiiOptions(), TimeProvider.System);

    /// <summary>The request-for-a-person check the control stage runs on every turn (not a request: every rule is tried).</summary>
    [Benchmark]
    public bool HumanRequest_100_chars() => EmpathyKit.Handoff.HumanRequestDetector.IsRequest(Messages.Short);

    /// <summary>The same on a 2 KB message (the check reads the first 1,000 characters).</summary>
    [Benchmark]
    public bool HumanRequest_2_KB() => EmpathyKit.Handoff.HumanRequestDetector.IsRequest(Messages.Long);

    /// <summary>A message that names a person, so every rule runs: the check's worst case at this length.</summary>
    [Benchmark]
    public bool HumanRequest_names_a_person() => EmpathyKit.Handoff.HumanRequestDetector.IsRequest("honestly I've had an awful week at work and I'd rather talk to a real person about it than type here");

    [Benchmark]
    public CrisisAssessment Crisis_100_chars() => _cold.Assess(CrisisInput.ForMessage(Messages.Short));

    /// <summary>The detector as a pipeline holds it (turn cache on), on a 100-character turn it has not seen.</summary>
    [Benchmark]
    public CrisisAssessment Crisis_100_chars_new_turn_cache_on() =>
        _warm.Assess(CrisisInput.ForMessage(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Messages.Short[..90]} ({++_turn})")));

    [Benchmark]
    public CrisisAssessment Crisis_rules_only_100_chars() => _rulesOnly.Assess(CrisisInput.ForMessage(Messages.Short));

    [Benchmark]
    public CrisisAssessment Crisis_4_turn_conversation() => _cold.Assess(_conversation);

    [Benchmark]
    public CrisisAssessment Crisis_20_turn_conversation_uncached() => _cold.Assess(_twentyTurns);

    [Benchmark]
    public CrisisAssessment Crisis_20_turn_conversation_turns_cached() => _warm.Assess(_twentyTurns);

    [Benchmark]
    public CrisisAssessment Crisis_neutral_100_chars() => _cold.Assess(CrisisInput.ForMessage(Messages.Neutral));

    [Benchmark]
    public CrisisAssessment Crisis_2_KB() => _cold.Assess(CrisisInput.ForMessage(Messages.Long));

    [Benchmark]
    public CrisisAssessment Crisis_20_KB() => _cold.Assess(CrisisInput.ForMessage(TwentyKilobytes));

    [Benchmark]
    public CrisisAssessment Crisis_previous_phrase_engine_100_chars() => PhraseCrisisDetector.Assess(CrisisInput.ForMessage(Messages.Short));

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
