using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// The learned veto over the construct rules: a learned layer that finds a rule's high reading very unlikely lowers it
/// to moderate (the check-in, crisis lines shown, no escalation), and only where the finding allows it: never an imminent
/// finding, an act told as happening or done, or a finding in a conversation that already held risk.
/// </summary>
public sealed class LearnedVetoTests
{
    private static readonly ConstructCrisisDetector Rules = new(ConstructLexicon.Default, model: null);

    /// <summary>An opinion that asks for nothing and vetoes everything it may (high probability 0, veto 1).</summary>
    private static LearnedOpinion Veto(RiskLevel rules, bool lowerable, double moderate, double high) => new(0, 0, 2, 2, 1);

    /// <summary>An opinion that asks for nothing and never vetoes.</summary>
    private static LearnedOpinion NoVeto(RiskLevel rules, bool lowerable, double moderate, double high) => new(0, 0, 2, 2, 0);

    [Fact]
    public void A_lowerable_high_finding_is_lowered_to_the_check_in_and_says_so()
    {
        var input = CrisisInput.ForMessage("I bought a rope this afternoon");
        (RiskLevel level, bool lowerable, _, _) = Rules.Score(input);
        Assert.Equal(RiskLevel.High, level);
        Assert.True(lowerable);

        CrisisAssessment vetoed = Rules.Assess(input, Veto);
        Assert.Equal(RiskLevel.Moderate, vetoed.Level);
        Assert.Contains(CrisisSignals.RiskModelLowered, vetoed.Signals);
        Assert.Equal(Rules.Assess(input, useModel: false).Rung, vetoed.Rung);

        CrisisAssessment kept = Rules.Assess(input, NoVeto);
        Assert.Equal(RiskLevel.High, kept.Level);
        Assert.DoesNotContain(CrisisSignals.RiskModelLowered, kept.Signals);
    }

    [Theory]
    [InlineData("I took 30 pills an hour ago")]
    [InlineData("i swallowed the whole packet an hour ago")]
    public void An_act_already_done_is_never_lowered(string text)
    {
        var input = CrisisInput.ForMessage(text);
        (RiskLevel level, bool lowerable, _, _) = Rules.Score(input);
        Assert.Equal(RiskLevel.Imminent, level);
        Assert.False(lowerable);
        Assert.Equal(RiskLevel.Imminent, Rules.Assess(input, Veto).Level);
    }

    [Fact]
    public void A_finding_after_earlier_risk_in_the_conversation_is_never_lowered()
    {
        var input = new CrisisInput("I bought a rope this afternoon", ["i just want to die"]);
        (RiskLevel level, bool lowerable, _, _) = Rules.Score(input);
        Assert.True(level >= RiskLevel.High);
        Assert.False(lowerable);
        Assert.True(Rules.Assess(input, Veto).Level >= RiskLevel.High);
    }

    [Fact]
    public void Earlier_ordinary_turns_do_not_stop_the_veto()
    {
        var input = new CrisisInput("I bought a rope this afternoon", ["had a long day at work", "the traffic was awful"]);
        Assert.True(Rules.Score(input).Lowerable);
        Assert.Equal(RiskLevel.Moderate, Rules.Assess(input, Veto).Level);
    }

    [Theory]
    [InlineData("i just want to die")]
    [InlineData("had a long day at work")]
    public void A_finding_below_high_is_never_lowered(string text)
    {
        var input = CrisisInput.ForMessage(text);
        RiskLevel level = Rules.Assess(input, useModel: false).Level;
        Assert.True(level < RiskLevel.High);
        Assert.False(Rules.Score(input).Lowerable);
        Assert.Equal(level, Rules.Assess(input, Veto).Level);
    }
}
