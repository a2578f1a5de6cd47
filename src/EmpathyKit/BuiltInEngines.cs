using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Disclaimers;
using EmpathyKit.Empathy;
using EmpathyKit.Guard;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;

namespace EmpathyKit;

/// <summary>
/// The one place the built-in engines are made, from a pipeline's options: dependency injection (a pipeline's keyed
/// engines), the CLI (<c>analyze</c>, <c>eval</c>) and the benchmarks all build them here, so the engines a command
/// measures are the ones a pipeline runs.
/// </summary>
internal static class BuiltInEngines
{
    /// <summary>The crisis detector: the construct rules with the fast risk model (shared; thread-safe).</summary>
    public static ICrisisDetector CrisisDetector() => ConstructCrisisDetector.Default;

    /// <summary>The PII detector: every built-in recognizer and the host's own, the options' allow list and the crisis lines' numbers.</summary>
    /// <param name="pii">The PII options.</param>
    /// <param name="directory">The crisis directory (its numbers are never redacted).</param>
    /// <param name="recognizers">The host's own recognizers, run beside the built-in ones.</param>
    /// <returns>The detector.</returns>
    public static RecognizerPiiDetector PiiDetector(PiiOptions pii, CrisisDirectory directory, IEnumerable<IPiiRecognizer>? recognizers = null) =>
        new(
            RecognizerPiiDetector.BuiltInRecognizers().Concat(recognizers ?? []),
            new PiiAllowList(pii.AllowList.Concat(directory.AllNumbers())),
            pii);

    /// <summary>The placeholder redactor over a detector, with any additional detectors merged in (fail closed past their timeout).</summary>
    /// <param name="detector">The detector.</param>
    /// <param name="pii">The PII options.</param>
    /// <param name="time">The clock (placeholder lifetimes).</param>
    /// <param name="additional">Detectors run beside it (an external NER service).</param>
    /// <returns>The redactor.</returns>
    public static PlaceholderRedactor PiiRedactor(IPiiDetector detector, PiiOptions pii, TimeProvider time, IReadOnlyList<IPiiDetector>? additional = null) =>
        new(additional is { Count: > 0 } ? new CompositePiiDetector(detector, additional, pii.ExternalDetectorTimeout) : detector, pii, time);

    /// <summary>The sentiment and emotion analyzer.</summary>
    /// <returns>The analyzer.</returns>
    public static LexiconSentimentAnalyzer SentimentAnalyzer() => new();

    /// <summary>The output guard.</summary>
    /// <param name="guard">The guard options.</param>
    /// <returns>The guard.</returns>
    public static PatternOutputGuard OutputGuard(GuardOptions guard) => new(guard.AdviceFreeTurns);

    /// <summary>The empathy scorer.</summary>
    /// <returns>The scorer.</returns>
    public static EpitomeScorer EmpathyScorer() => new();

    /// <summary>The disclaimer policy.</summary>
    /// <param name="options">The pipeline's options.</param>
    /// <param name="directory">The crisis directory.</param>
    /// <returns>The policy.</returns>
    public static DefaultDisclaimerPolicy DisclaimerPolicy(EmpathyKitOptions options, CrisisDirectory directory) =>
        new(options.Disclaimers, directory, options.Country);
}
