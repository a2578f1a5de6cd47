using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// An over-long message is composed on a bounded window (issue 15), and risk cannot hide in it: not in the middle of
/// ordinary text, and not behind a flood of the same idiom.
/// </summary>
public sealed class LongMessageWindowTests
{
    private static readonly ConstructCrisisDetector Detector = new(ConstructLexicon.Default, CrisisRiskModel.Default, cacheTurns: false);

    public static TheoryData<string, RiskLevel> Hidden => new()
    {
        { "I have the pills in front of me and I am going to take them all tonight.", RiskLevel.Imminent },
        { "I just drank a glass of bleach.", RiskLevel.Imminent },
        { "I bought a rope this afternoon.", RiskLevel.High },
        { "I've been planning my suicide for weeks and I think I'm ready now.", RiskLevel.High },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void Risk_in_the_middle_of_a_long_message_is_found(string hidden, RiskLevel atLeast)
    {
        Assert.True(Detector.Assess(new CrisisInput(hidden, [])).Level >= atLeast, "the sentence alone is the baseline");
        foreach (string filler in new[] { "Work has been a lot lately and I keep putting things off. ", "I could kill for a coffee. ", "a. ", "Mr. " })
        {
            string text = TextShapes.Repeat(filler, 100_000) + " " + hidden + " " + TextShapes.Repeat(filler, 100_000);
            CrisisAssessment assessment = Detector.Assess(new CrisisInput(text, []));
            Assert.True(assessment.Level >= atLeast, $"hidden in '{filler.Trim()}': {assessment.Level}");
            Assert.Contains(CrisisSignals.LongMessageWindow, assessment.Signals);
        }
    }

    [Fact]
    public void Risk_at_the_start_or_the_end_is_found()
    {
        string filler = TextShapes.Repeat("The weather was grey and the bus was late again. ", 200_000);
        Assert.True(Detector.Assess(new CrisisInput("I want to kill myself tonight. " + filler, [])).Level >= RiskLevel.High);
        Assert.True(Detector.Assess(new CrisisInput(filler + " I want to kill myself tonight.", [])).Level >= RiskLevel.High);
    }

    [Fact]
    public void Composition_is_bounded_and_an_ordinary_long_message_stays_calm()
    {
        long before = Detector.ClausesComposed;
        CrisisAssessment assessment = Detector.Assess(new CrisisInput(TextShapes.Repeat("a. ", 300_000), []));
        Assert.InRange(Detector.ClausesComposed - before, 1, ConstructRules.WindowWords);
        Assert.Equal(RiskLevel.None, assessment.Level);
        // The window's composition, without the learned layer (which reads "grey" and "late again" as the corpus does).
        Assert.Equal(RiskLevel.None, Detector.Assess(new CrisisInput(TextShapes.Repeat("The weather was grey and the bus was late again. ", 100_000), []), useModel: false).Level);
    }

    [Fact]
    public void A_message_within_the_window_is_assessed_whole()
    {
        CrisisAssessment assessment = Detector.Assess(new CrisisInput(TextShapes.Repeat("Work has been a lot lately. ", 4_000) + "I want to kill myself.", []));
        Assert.DoesNotContain(CrisisSignals.LongMessageWindow, assessment.Signals);
        Assert.True(assessment.Level >= RiskLevel.High);
    }
}
