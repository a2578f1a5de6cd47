using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Sentiment and emotion metrics on public ground truth. VADER's files (ID, mean human rating −4..4, text): Pearson r
/// of our valence against the mean rating, and 3-class accuracy with VADER's own rule (sign with a ±0.05 dead zone on
/// our valence and on rating/4). GoEmotions (text, label ids, comment id): our emotions mapped to Ekman's six plus
/// neutral, multi-label, F1 per class and their macro average. Both report messages per second on one thread.
/// </summary>
internal sealed class SentimentEvaluation
{
    /// <summary>How long the GoEmotions speed measurement warms up before its timed pass.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <summary>Our emotions in Ekman's terms (loneliness, hopelessness and overwhelm are kinds of sadness here).</summary>
    public static readonly IReadOnlyDictionary<Emotion, string> EkmanOf = new Dictionary<Emotion, string>
    {
        [Emotion.Sadness] = "sadness",
        [Emotion.Loneliness] = "sadness",
        [Emotion.Hopelessness] = "sadness",
        [Emotion.Shame] = "sadness",
        [Emotion.Overwhelm] = "sadness",
        [Emotion.Anxiety] = "fear",
        [Emotion.Anger] = "anger",
        [Emotion.Joy] = "joy",
        [Emotion.Gratitude] = "joy",
        [Emotion.Relief] = "joy",
        [Emotion.Neutral] = "neutral",
        [Emotion.Disgust] = "disgust",
        [Emotion.Surprise] = "surprise",
    };

    private readonly StringBuilder _report = new();

    private SentimentEvaluation()
    {
    }

    /// <summary>Gets the metrics by name (for tests and CI): e.g. <c>amazon.r</c>, <c>goemotions.macro_f1</c>.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public string Format() => _report.ToString();

    /// <summary>Evaluates every VADER ground-truth file in <paramref name="folder"/>.</summary>
    public static SentimentEvaluation RunVader(ISentimentAnalyzer analyzer, string folder, CancellationToken cancellationToken)
    {
        var evaluation = new SentimentEvaluation();
        CultureInfo c = CultureInfo.InvariantCulture;
        evaluation._report.AppendLine("VADER ground truth: Pearson r against the mean human rating; 3-class accuracy (±0.05 dead zone)");
        evaluation._report.AppendLine(c, $"{"set",-10} {"n",6} {"r",7} {"3-class",8} {"msgs/s",10}");
        foreach (string file in Directory.GetFiles(folder, "*_GroundTruth.txt").Order(StringComparer.Ordinal))
        {
            var gold = new List<double>();
            var texts = new List<string>();
            foreach (string line in File.ReadLines(file, Encoding.UTF8))
            {
                string[] parts = line.TrimStart('\uFEFF').Split('\t', 3);
                if (parts.Length == 3 && double.TryParse(parts[1], NumberStyles.Float, c, out double rating))
                {
                    gold.Add(rating);
                    texts.Add(parts[2]);
                }
            }

            double[] predicted = new double[texts.Count];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < texts.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                predicted[i] = analyzer.AnalyzeAsync(texts[i], cancellationToken).AsTask().GetAwaiter().GetResult().Valence;
            }

            clock.Stop();
            double r = Pearson(predicted, gold);
            double accuracy = (double)Enumerable.Range(0, gold.Count).Count(i => Class(predicted[i]) == Class(gold[i] / 4)) / Math.Max(1, gold.Count);
            string name = Path.GetFileName(file).Split('_')[0].Replace("ReviewSnippets", string.Empty, StringComparison.Ordinal).Replace("EditorialSnippets", string.Empty, StringComparison.Ordinal);
            evaluation.Metrics[name + ".r"] = r;
            evaluation.Metrics[name + ".accuracy"] = accuracy;
            evaluation._report.AppendLine(c, $"{name,-10} {gold.Count,6} {r,7:0.000} {accuracy,8:0.000} {texts.Count / clock.Elapsed.TotalSeconds,10:N0}");
        }

        return evaluation;
    }

    /// <summary>Evaluates GoEmotions (<c>dev.tsv</c> with <c>emotions.txt</c> and <c>ekman_mapping.json</c> beside it).</summary>
    public static SentimentEvaluation RunGoEmotions(ISentimentAnalyzer analyzer, string tsv, double threshold, CancellationToken cancellationToken)
    {
        List<(string Text, HashSet<string> Gold)> examples = GoEmotionsData.Load(tsv);
        var results = new SentimentResult[examples.Count];
        // Warm-up passes until the JIT has had a second to promote the hot code (tiered compilation waits for call
        // counts and compiles in the background); then one timed pass, the steady state a long-running host sees.
        TimeSpan elapsed = TimeSpan.Zero;
        var warmUp = Stopwatch.StartNew();
        for (int pass = 0; pass < 2 || warmUp.Elapsed < WarmUp; pass++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < examples.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = analyzer.AnalyzeAsync(examples[i].Text, cancellationToken).AsTask().GetAwaiter().GetResult();
            }

            elapsed = clock.Elapsed;
        }

        List<HashSet<string>> predictions = [.. results.Select(r => Predict(r, threshold))];
        var evaluation = new SentimentEvaluation();
        CultureInfo c = CultureInfo.InvariantCulture;
        evaluation._report.AppendLine(c, $"GoEmotions Ekman+neutral, multi-label, {examples.Count} messages, emotion threshold {threshold:0.00}");
        evaluation._report.AppendLine(c, $"{"class",-9} {"gold",6} {"pred",6} {"P",6} {"R",6} {"F1",6}");
        double sumF1 = 0;
        foreach (string ekman in GoEmotionsData.EkmanClasses)
        {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < examples.Count; i++)
            {
                bool g = examples[i].Gold.Contains(ekman), p = predictions[i].Contains(ekman);
                tp += g && p ? 1 : 0;
                fp += !g && p ? 1 : 0;
                fn += g && !p ? 1 : 0;
            }

            double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            double f1 = GoEmotionsData.F1(tp, fp, fn);
            sumF1 += f1;
            evaluation.Metrics["goemotions.f1." + ekman] = f1;
            evaluation._report.AppendLine(c, $"{ekman,-9} {tp + fn,6} {tp + fp,6} {precision,6:0.000} {recall,6:0.000} {f1,6:0.000}");
        }

        double macro = sumF1 / GoEmotionsData.EkmanClasses.Count;
        double rate = examples.Count / elapsed.TotalSeconds;
        evaluation.Metrics["goemotions.macro_f1"] = macro;
        evaluation.Metrics["goemotions.messages_per_second"] = rate;
        evaluation._report.AppendLine(c, $"macro-F1: {macro:0.000}   ({rate:N0} messages/s on one thread, after a warm-up)");
        return evaluation;
    }

    /// <summary>The Ekman classes of a result: every emotion at or above the threshold, or neutral when none is.</summary>
    public static HashSet<string> Predict(SentimentResult result, double threshold)
    {
        var predicted = new HashSet<string>(StringComparer.Ordinal);
        foreach ((Emotion emotion, double intensity) in result.Emotions)
        {
            if (emotion != Emotion.Neutral && intensity >= threshold && EkmanOf.TryGetValue(emotion, out string? ekman))
            {
                predicted.Add(ekman);
            }
        }

        if (predicted.Count == 0)
        {
            predicted.Add("neutral");
        }

        return predicted;
    }

    private static int Class(double value) => value >= 0.05 ? 1 : value <= -0.05 ? -1 : 0;

    private static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
