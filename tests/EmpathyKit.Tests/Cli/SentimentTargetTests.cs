using EmpathyKit.Cli;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Cli.Learn;
using EmpathyKit.Sentiment;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Cli;

/// <summary>
/// The sentiment figures of issue 6 on ../shared/eval/external (docs/sentiment.md), and the provenance of the embedded
/// emotion model: training on GoEmotions' train split again must give the same model.
/// </summary>
public sealed class SentimentTargetTests
{
    [SharedDataFact("eval/external/vader/nytEditorialSnippets_GroundTruth.txt")]
    public void Vader_ground_truth_correlations_meet_their_targets()
    {
        SentimentEvaluation result = SentimentEvaluation.RunVader(new Engines().Sentiment, SharedData.PathOf("eval/external/vader"), CancellationToken.None);
        Assert.True(result.Metrics["amazon.r"] >= 0.60, result.Format());
        Assert.True(result.Metrics["nyt.r"] >= 0.55, result.Format());
        Assert.True(result.Metrics["movie.r"] >= 0.451, result.Format()); // VADER's published figure
    }

    [SharedDataFact("eval/external/goemotions/dev.tsv")]
    public void GoEmotions_dev_macro_F1_meets_its_target()
    {
        SentimentEvaluation result = SentimentEvaluation.RunGoEmotions(new Engines().Sentiment, SharedData.PathOf("eval/external/goemotions/dev.tsv"), 0.3, CancellationToken.None);
        Assert.True(result.Metrics["goemotions.macro_f1"] >= 0.50, result.Format());
    }

    [SharedDataFact("eval/external/goemotions/train.tsv")]
    public void Training_on_the_train_split_reproduces_the_embedded_model()
    {
        (EmotionModel trained, TrainingReport report) = EmotionModelTrainer.Train(SharedData.PathOf("eval/external/goemotions/train.tsv"), new EmotionTrainingSettings(), CancellationToken.None);
        EmotionModel embedded = EmotionModel.Default;

        Assert.Equal(embedded.Thresholds, trained.Thresholds);
        Assert.Equal(embedded.Words.Keys.Order(StringComparer.Ordinal), trained.Words.Keys.Order(StringComparer.Ordinal));
        Assert.All(embedded.Words, w => Assert.All(w.Value.Zip(trained.Words[w.Key]), p => Assert.Equal(p.First, p.Second, 0.0015)));
        Assert.All(embedded.Bias.Zip(trained.Bias), p => Assert.Equal(p.First, p.Second, 0.0015));
        Assert.All(embedded.Dense.Zip(trained.Dense), d => Assert.All(d.First.Zip(d.Second), p => Assert.Equal(p.First, p.Second, 0.0015)));
        Assert.True(report.CrossValidatedMacroF1 >= 0.50, report.Format());
    }

    [Fact]
    public async Task Learning_without_the_label_files_beside_the_split_is_a_clear_error() =>
        Assert.Equal(2, await LearnInEmptyFolderAsync("train.tsv"));

    [Theory]
    [InlineData("dev.tsv")]
    [InlineData("test.tsv")]
    public async Task Learning_refuses_the_splits_that_measure(string name) =>
        Assert.Equal(2, await LearnInEmptyFolderAsync(name));

    /// <summary>Runs <c>learn emotions</c> on a one-line split alone in a fresh folder; asserts no model was written.</summary>
    private static async Task<int> LearnInEmptyFolderAsync(string splitName)
    {
        string dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "learn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string data = Path.Combine(dir, splitName);
            await File.WriteAllTextAsync(data, "text\t0\tid\n");
            int code = await CliApp.CreateRoot().Parse(["learn", "emotions", "--data", data, "--out", Path.Combine(dir, "model.txt")]).InvokeAsync();
            Assert.False(File.Exists(Path.Combine(dir, "model.txt")));
            return code;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
