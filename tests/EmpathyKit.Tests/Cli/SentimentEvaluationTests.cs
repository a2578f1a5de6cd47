using EmpathyKit.Cli.Eval;

namespace EmpathyKit.Tests.Cli;

/// <summary>The arithmetic of <c>empathykit eval sentiment</c> on small files whose answers are known.</summary>
public sealed class SentimentEvaluationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "sentiment-eval-" + Guid.NewGuid().ToString("N"));

    public SentimentEvaluationTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Vader_r_and_accuracy_follow_the_published_definitions()
    {
        // Our valence is the rating / 4 on two lines, its opposite on the third; the BOM and CRLF are as in the files.
        File.WriteAllText(Path.Combine(_dir, "tinyReviewSnippets_GroundTruth.txt"), "\uFEFF1\t2.0\ta\r\n2\t-2.0\tb\r\n3\t0.8\tc\r\n");
        var analyzer = new FixedAnalyzer(new Dictionary<string, double> { ["a"] = 0.5, ["b"] = -0.5, ["c\r"] = -0.2, ["c"] = -0.2 });

        SentimentEvaluation result = SentimentEvaluation.RunVader(analyzer, _dir, CancellationToken.None);

        double[] x = [0.5, -0.5, -0.2], y = [2.0, -2.0, 0.8];
        double mx = x.Average(), my = y.Average();
        double expected = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        Assert.Equal(expected, result.Metrics["tiny.r"], 9);
        Assert.Equal(2.0 / 3, result.Metrics["tiny.accuracy"], 9);
    }

    [Fact]
    public void GoEmotions_labels_map_to_Ekman_and_macro_F1_averages_all_seven_classes()
    {
        File.WriteAllLines(Path.Combine(_dir, "emotions.txt"), ["anger", "joy", "sadness", "neutral"]);
        File.WriteAllText(Path.Combine(_dir, "ekman_mapping.json"), """{"anger":["anger"],"joy":["joy"],"sadness":["sadness"]}""");
        string tsv = Path.Combine(_dir, "dev.tsv");
        File.WriteAllLines(tsv, ["happy\t1\tx1", "sad\t2\tx2", "mad\t0,2\tx3", "plain\t3\tx4"]);
        var analyzer = new FixedAnalyzer(
            new Dictionary<string, double>(),
            new Dictionary<string, Emotion> { ["happy"] = Emotion.Joy, ["sad"] = Emotion.Loneliness, ["mad"] = Emotion.Sadness });

        SentimentEvaluation result = SentimentEvaluation.RunGoEmotions(analyzer, tsv, 0.3, CancellationToken.None);

        // joy 1/1; sadness: loneliness counts as sadness, 2 gold, 2 predicted; anger missed (F1 0); neutral 1/1.
        Assert.Equal(1.0, result.Metrics["goemotions.f1.joy"], 9);
        Assert.Equal(1.0, result.Metrics["goemotions.f1.sadness"], 9);
        Assert.Equal(0.0, result.Metrics["goemotions.f1.anger"], 9);
        Assert.Equal(1.0, result.Metrics["goemotions.f1.neutral"], 9);
        Assert.Equal(3.0 / 7, result.Metrics["goemotions.macro_f1"], 9);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class FixedAnalyzer(IReadOnlyDictionary<string, double> valences, IReadOnlyDictionary<string, Emotion>? emotions = null) : ISentimentAnalyzer
    {
        public ValueTask<SentimentResult> AnalyzeAsync(string text, CancellationToken cancellationToken = default)
        {
            Dictionary<Emotion, double> found = emotions is not null && emotions.TryGetValue(text, out Emotion e) ? new() { [e] = 0.9 } : new() { [Emotion.Neutral] = 1.0 };
            return ValueTask.FromResult(new SentimentResult(valences.GetValueOrDefault(text), found, []));
        }
    }
}
