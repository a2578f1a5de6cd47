using EmpathyKit.Cli;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Crisis;

/// <summary><c>empathykit learn crisis</c> reproduces the embedded construct table and risk model byte for byte.</summary>
public sealed class CrisisLearnTests
{
    [SharedDataFact("train/crisis/suicide-risk-lexicon/suicide_risk_lexicon_validated_24-08-02T21-27-35.csv")]
    public async Task Learning_again_gives_the_embedded_files()
    {
        string data = Path.Combine(SharedData.RepositoryRoot, "src", "EmpathyKit", "Crisis", "Data");
        string dir = Directory.CreateTempSubdirectory("empathykit-learn-crisis-").FullName;
        try
        {
            File.Copy(Path.Combine(data, "crisis-mechanisms.txt"), Path.Combine(dir, "crisis-mechanisms.txt"));
            int code = await CliApp.CreateRoot().Parse(
            [
                "learn", "crisis",
                "--train", SharedData.PathOf("train"),
                "--everyday", SharedData.PathOf("eval/external/goemotions/train.tsv"),
                "--corpus", Path.Combine(SharedData.RepositoryRoot, "data", "crisis"),
                "--out", dir,
            ]).InvokeAsync();
            Assert.Equal(0, code);
            foreach (string file in new[] { "crisis-constructs.txt", "crisis-model.txt" })
            {
                Assert.True(File.ReadAllText(Path.Combine(data, file)) == File.ReadAllText(Path.Combine(dir, file)), $"{file} differs from what `learn crisis` writes: retrain and commit it.");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_folder_is_a_clear_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), "empathykit-no-such-folder-" + Guid.NewGuid().ToString("N"));
        int code = await CliApp.CreateRoot().Parse(["learn", "crisis", "--train", missing, "--everyday", Path.Combine(missing, "train.tsv"), "--corpus", missing, "--out", missing]).InvokeAsync();
        Assert.Equal(2, code);
    }
}
