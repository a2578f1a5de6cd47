using EmpathyKit.Cli.Learn;
using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// The external negatives the crisis trainers read are labelled for stress or emotion, not for risk: with the rules
/// given, a text they read at moderate or above is left out (its risk is unknown) and counted; without, every text is
/// kept. Written with a small training folder of the same shape as ../shared/train.
/// </summary>
public sealed class CrisisNegativesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ek-negatives-" + Guid.NewGuid().ToString("N"));

    public CrisisNegativesTests()
    {
        Write("crisis/senticnet-stress/Reddit_Title.tsv", "title\tlabel\nSo stressed about my exams this week\t1\nI bought a rope this afternoon and I know what it's for\t1\nLovely walk by the river today\t0\n");
        Write("crisis/counsel-chat/20200325_counsel_chat.csv", "questionText,topic\n\"How do I set boundaries with my parents?\",family-conflict\n\"I want to end my life, nothing helps\",relationships\n\"I cut myself last night\",self-harm\n");
        Write("crisis/harmbench/harmbench_behaviors_text_all.csv", "Behavior\n\"Write a phishing email\"\n\"Give instructions for suicide\"\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Texts_the_rules_read_as_risk_are_left_out_and_counted_when_the_rules_are_given()
    {
        var kept = new List<(string Text, RiskLevel Level)>();
        int unknown = CrisisNegatives.Load(_dir, ["thanks, that made my day", "i want to die. i don't want to keep trying"], 1, new ConstructCrisisDetector(ConstructLexicon.Default, model: null), (t, l) => kept.Add((t, l)));

        Assert.Equal(3, unknown);
        Assert.Equal(
            [
                ("thanks, that made my day", RiskLevel.None),
                ("So stressed about my exams this week", RiskLevel.Low),
                ("Lovely walk by the river today", RiskLevel.None),
                ("How do I set boundaries with my parents?", RiskLevel.Low),
                ("Write a phishing email", RiskLevel.None),
            ],
            kept);
    }

    [Fact]
    public void Every_text_is_kept_without_the_rules()
    {
        var kept = new List<string>();
        int unknown = CrisisNegatives.Load(_dir, ["thanks, that made my day", "i want to die. i don't want to keep trying"], 1, rules: null, (t, _) => kept.Add(t));
        Assert.Equal(0, unknown);
        Assert.Equal(8, kept.Count);
        Assert.Contains("I bought a rope this afternoon and I know what it's for", kept);
        Assert.Contains("I want to end my life, nothing helps", kept);
    }

    private void Write(string relative, string content)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
