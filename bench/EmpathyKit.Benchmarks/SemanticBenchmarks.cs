using BenchmarkDotNet.Attributes;
using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Semantic;

namespace EmpathyKit.Benchmarks;

/// <summary>The semantic crisis detector (package EmpathyKit.Semantic): the sentence encoder and the whole detector per new turn.</summary>
[MemoryDiagnoser]
public class SemanticBenchmarks
{
    private readonly string[] _earlier = ["I lost my job", "I feel worthless", "nobody would notice"];
    private MiniLmEncoder _encoder = null!;
    private SemanticCrisisDetector _detector = null!;
    private int _turn;

    [GlobalSetup]
    public void Setup()
    {
        _encoder = MiniLmEncoder.Shared;
        _detector = SemanticCrisisDetector.Default;
        _ = _detector.AssessAsync(new CrisisInput(Messages.Neutral, _earlier)).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Encodes a 100-character message (no cache).</summary>
    [Benchmark]
    public float[] Encode_100_chars() => _encoder.Encode(Messages.Neutral);

    /// <summary>The construct detector alone on the same turn, for comparison.</summary>
    [Benchmark(Baseline = true)]
    public CrisisAssessment Construct_new_turn_4_turn_conversation() => ConstructCrisisDetector.Default.Assess(new CrisisInput(NewTurn(), _earlier));

    /// <summary>A new 100-character turn after three earlier ones (their vectors cached, as in a conversation): one encoding.</summary>
    [Benchmark]
    public CrisisAssessment Semantic_new_turn_4_turn_conversation() => _detector.AssessAsync(new CrisisInput(NewTurn(), _earlier)).AsTask().GetAwaiter().GetResult();

    // A turn the caches have not seen (the counter makes each one new), about 100 characters like Messages.Neutral.
    private string NewTurn() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Messages.Neutral[..90]} ({++_turn})");
}
