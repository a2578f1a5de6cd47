using EmpathyKit.Cli.Eval;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Crisis;

/// <summary>The crisis corpus in data/crisis: its frozen splits, and the engine's figures on the evidence splits.</summary>
public sealed class CrisisCorpusTests
{
    private static readonly string Corpus = Path.Combine(SharedData.RepositoryRoot, "data", "crisis");

    [Fact]
    public void The_splits_are_the_frozen_ones()
    {
        // data/crisis/README.md gives these counts; a change to the split function or the seed changes them.
        Assert.Equal(10704, CrisisCorpus.Pool(Corpus, "train").Count);
        Assert.Equal(1556, CrisisCorpus.Pool(Corpus, "dev").Count);
        Assert.Equal(2975, CrisisCorpus.Pool(Corpus, "test").Count);
        Assert.Equal(5408, CrisisCorpus.Heldout(Corpus).Count);
    }

    [Fact]
    public void No_test_or_held_out_text_is_in_train_or_dev()
    {
        var evidence = new HashSet<string>(CrisisCorpus.Pool(Corpus, "test").Concat(CrisisCorpus.Heldout(Corpus)).Select(Key), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(CrisisCorpus.Pool(Corpus, "train").Concat(CrisisCorpus.Pool(Corpus, "dev")), c => evidence.Contains(Key(c)));
    }

    [Theory]
    [InlineData("test")]
    [InlineData("heldout")]
    public async Task The_engine_holds_its_measured_figures_on_the_evidence_splits(string split)
    {
        // Regression floors at the figures recorded in docs/crisis.md (measured once the rules and model were final);
        // they are far from the targets, and they say so there.
        List<CrisisCase> cases = split == "test" ? CrisisCorpus.Pool(Corpus, "test") : CrisisCorpus.Heldout(Corpus);
        CrisisEvaluation result = await CrisisEvaluation.RunAsync(new EmpathyKit.Cli.Engines().Crisis, cases, CancellationToken.None);
        Assert.True(result.EscalationRecall >= 0.50, result.Format(misses: false));
        Assert.True(result.CrisisRecall >= 0.70, result.Format(misses: false));
        Assert.True(result.FalseAlarmRate <= 0.10, result.Format(misses: false));
    }

    [Fact]
    public async Task The_previous_phrase_engine_is_far_behind_on_the_same_split()
    {
        List<CrisisCase> cases = CrisisCorpus.Pool(Corpus, "test");
        CrisisEvaluation construct = await CrisisEvaluation.RunAsync(new EmpathyKit.Cli.Engines().Crisis, cases, CancellationToken.None);
        CrisisEvaluation phrase = await CrisisEvaluation.RunAsync(new EmpathyKit.Crisis.PhraseCrisisDetector(), cases, CancellationToken.None);
        Assert.True(construct.EscalationRecall > phrase.EscalationRecall + 0.2, $"{construct.EscalationRecall} vs {phrase.EscalationRecall}");
    }

    private static string Key(CrisisCase c) => string.Join('\n', c.Turns).Trim();
}
