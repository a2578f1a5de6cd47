using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;
using EmpathyKit.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EmpathyKit.Tests.Robustness;

/// <summary>
/// Bounded, linear cost on any input (issue 15), counted rather than timed: the clauses the crisis rules compose (at
/// most <see cref="ConstructRules.WindowWords"/> per message, however long) and the bytes each engine allocates per
/// character. Inputs are generated: a unit repeated (hostile shapes, random text, lone surrogates, combining marks,
/// emoji), with separators, at lengths from a few hundred to 40,000 characters.
/// </summary>
/// <remarks>
/// Allocation per character is the counter for the PII recognisers and the sentiment analyser: a step that grows with
/// the input allocates as it goes (matches, tokens, lists). A loop that does not allocate can still be super-linear;
/// those are covered by the per-shape scaling test below and by the benchmarks on 4,000 and 100,000 characters.
/// </remarks>
public sealed class BoundedWorkTests
{
    private const long FixedBytes = 256 * 1024;
    private const long CrisisBytesPerChar = 2_500;
    private const long PiiBytesPerChar = 600;
    private const long SentimentBytesPerChar = 600;

    private static readonly string[] HostileUnits =
    [
        "Mr. ", "a.", "Sam: ", "a@b.co ", "http://a.com/x ", "12/03/2024 ", "4111 1111 1111 1111 ", "12 Main Street ", "12 Main Street\n",
        "my name is ", "hi John. ", "i want to kill myself ", "I ", "1", "...", "\n", "é", "\U0001F600", "\u0301", "\ud800", "\udc00",
        "Dr. Dr. ", "+44 ", "(", "[PERSON_1] ", "kill ", "pills ", "and ", "but ", "?", "!!!", "\u202e", "\t", "www.", "@@", "::", "  ",
    ];

    private static readonly Gen<string> Units = Gen.OneOf(
        Gen.Elements(HostileUnits),
        ArbMap.Default.ArbFor<string>().Generator.Where(s => !string.IsNullOrEmpty(s)).Select(s => s.Length > 40 ? s[..40] : s),
        Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString()));

    private static readonly Gen<string> Texts =
        from unit in Units
        from separator in Gen.Elements("", " ", ". ", "\n", ", ", " and ")
        from length in Gen.Choose(200, 40_000)
        select TextShapes.Repeat(unit + separator, length);

    private static readonly ConstructCrisisDetector Crisis = WarmedUp(new ConstructCrisisDetector(ConstructLexicon.Default, CrisisRiskModel.Default, cacheTurns: false));

    private static readonly RecognizerPiiDetector Pii = WarmedUp(RecognizerPiiDetector.CreateDefault());

    [Property(Arbitrary = [typeof(HostileTexts)], MaxTest = 60)]
    public Property The_crisis_rules_compose_a_bounded_window_and_allocate_linearly(HostileText input)
    {
        string text = input.Value;
        long clauses = Crisis.ClausesComposed;
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        CrisisAssessment assessment = Crisis.Assess(new CrisisInput(text, []));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        long composed = Crisis.ClausesComposed - clauses;
        return (assessment is not null && composed <= ConstructRules.WindowWords && allocated <= FixedBytes + (CrisisBytesPerChar * text.Length))
            .Label($"length {text.Length}: {composed} clauses, {allocated} bytes");
    }

    [Property(Arbitrary = [typeof(HostileTexts)], MaxTest = 60)]
    public Property Pii_detection_allocates_linearly_and_its_spans_stay_in_bounds(HostileText input)
    {
        string text = input.Value;
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        IReadOnlyList<PiiEntity> entities = Pii.Detect(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return (entities.All(e => e.Start >= 0 && e.End <= text.Length && e.Start < e.End) && allocated <= FixedBytes + (PiiBytesPerChar * text.Length))
            .Label($"length {text.Length}: {allocated} bytes");
    }

    [Property(Arbitrary = [typeof(HostileTexts)], MaxTest = 60)]
    public Property Sentiment_allocates_linearly(HostileText input)
    {
        string text = input.Value;
        _ = LexiconSentimentAnalyzer.Analyze("warm up: loads the lexicon before anything is counted");  // once loaded, a no-op
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        SentimentResult result = LexiconSentimentAnalyzer.Analyze(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return (result is not null && allocated <= FixedBytes + (SentimentBytesPerChar * text.Length))
            .Label($"length {text.Length}: {allocated} bytes");
    }

    /// <summary>A generated hostile text (a unit repeated with a separator, 200 to 40,000 characters); shown by its length and start.</summary>
    /// <param name="Value">The text.</param>
    public sealed record HostileText(string Value)
    {
        /// <inheritdoc />
        public override string ToString() => $"{Value.Length} chars: \"{(Value.Length > 40 ? Value[..40] + "…" : Value)}\"";
    }

    /// <summary>The arbitrary of <see cref="HostileText"/> for <c>[Property]</c>.</summary>
    public static class HostileTexts
    {
        /// <summary>Gets the generator.</summary>
        /// <returns>The arbitrary.</returns>
        public static Arbitrary<HostileText> Texts() => BoundedWorkTests.Texts.Select(t => new HostileText(t)).ToArbitrary();
    }

    private static ConstructCrisisDetector WarmedUp(ConstructCrisisDetector detector)
    {
        // Loads the lexicon and model before anything is counted.
        _ = detector.Assess(new CrisisInput("warm up: loads the lexicon and model before anything is counted", []));
        return detector;
    }

    private static RecognizerPiiDetector WarmedUp(RecognizerPiiDetector detector)
    {
        _ = detector.Detect("warm up: Maria Lopez, maria@example.com, 12 Main Street, 07700 900123");
        return detector;
    }

    /// <summary>The same shape at 8x the length costs at most about 8x (12x allowed): no engine is super-linear in it.</summary>
    [Theory]
    [InlineData("Mr. ")]
    [InlineData("a.")]
    [InlineData("12 Main Street ")]
    [InlineData("4111 1111 1111 1111 ")]
    [InlineData("a@b.co ")]
    [InlineData("hi John. ")]
    [InlineData("i want to kill myself ")]
    public void Eight_times_the_text_costs_at_most_about_eight_times_the_work(string unit)
    {
        RecognizerPiiDetector detector = RecognizerPiiDetector.CreateDefault();
        (long CrisisBytes, long PiiBytes) Measure(int length)
        {
            string text = TextShapes.Repeat(unit, length);
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = Crisis.Assess(new CrisisInput(text, []));
            long middle = GC.GetAllocatedBytesForCurrentThread();
            _ = detector.Detect(text);
            return (middle - before, GC.GetAllocatedBytesForCurrentThread() - middle);
        }

        // 4,000 against 32,000 characters: whole, and in two chunks for PII (RecognizerPiiDetector.ChunkLength).
        _ = Measure(1_000);
        (long crisisSmall, long piiSmall) = Measure(4_000);
        (long crisisLarge, long piiLarge) = Measure(32_000);
        Assert.True(crisisLarge <= 12 * crisisSmall, $"crisis: {crisisSmall} -> {crisisLarge} bytes");
        Assert.True(piiLarge <= 12 * piiSmall, $"pii: {piiSmall} -> {piiLarge} bytes");
    }
}
