using BenchmarkDotNet.Attributes;
using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Pii;

namespace EmpathyKit.Benchmarks;

/// <summary>
/// The shapes from the outside test of issue 15, at the message limit (4,000 characters) and at 100,000: repetition
/// that made crisis assessment or PII detection grow faster than the input.
/// </summary>
[MemoryDiagnoser]
public class HostileInputBenchmarks
{
    private static readonly string Dots4K = Repeat("a.", 4_000);
    private static readonly string Words100K = Repeat("work has been a lot lately and ", 100_000);
    private static readonly string Dots100K = Repeat("a.", 100_000);
    private static readonly string Titles100K = Repeat("Mr. ", 100_000);
    private static readonly string Streets100K = Repeat("12 Main Street ", 100_000);

    private readonly ConstructCrisisDetector _crisis = new(ConstructLexicon.Default, CrisisRiskModel.Default, cacheTurns: false);
    private readonly RecognizerPiiDetector _pii = RecognizerPiiDetector.CreateDefault();

    [Benchmark]
    public CrisisAssessment Crisis_dots_4_000_chars() => _crisis.Assess(CrisisInput.ForMessage(Dots4K));

    [Benchmark]
    public CrisisAssessment Crisis_words_100_000_chars() => _crisis.Assess(CrisisInput.ForMessage(Words100K));

    [Benchmark]
    public CrisisAssessment Crisis_dots_100_000_chars() => _crisis.Assess(CrisisInput.ForMessage(Dots100K));

    [Benchmark]
    public IReadOnlyList<PiiEntity> Pii_titles_100_000_chars() => _pii.Detect(Titles100K);

    [Benchmark]
    public IReadOnlyList<PiiEntity> Pii_streets_100_000_chars() => _pii.Detect(Streets100K);

    private static string Repeat(string unit, int length) => string.Concat(Enumerable.Repeat(unit, (length / unit.Length) + 1))[..length];
}
