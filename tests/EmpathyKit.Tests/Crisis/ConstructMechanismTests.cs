using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// The construct rules alone (no learned model) on the mechanism classes added for the second corpus round: bulk
/// ingestion, medicine names by stem, counts versus clock times, history versus now, a weapon carried, a target located,
/// injuries hidden, statistics frames, a death told versus asked, the clitic "'s", and burden as context. Each rule is
/// tested with a sentence written here (none from the corpus) and with the everyday use of the same words.
/// </summary>
public sealed class ConstructMechanismTests
{
    private static CrisisAssessment Rules(string text) => ConstructCrisisDetector.Default.Assess(new CrisisInput(text, []), useModel: false);

    [Theory]
    [InlineData("i swallowed the whole packet an hour ago")]
    [InlineData("swallowed 15 of my tablets")]
    [InlineData("i took 40 of my metformin")]
    [InlineData("i took 10 of my sleeping tablets")]
    public void A_bulk_amount_swallowed_or_a_named_medicine_counted_is_an_ingestion(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.Equal(RiskLevel.Imminent, a.Level);
        Assert.Equal(CrisisRung.Ingestion, a.Rung);
    }

    [Theory]
    [InlineData("i swallowed my pride and said sorry")]
    [InlineData("popped a bottle of champagne for her birthday")]
    [InlineData("took my sleeping tablet at 10 like always")]
    [InlineData("took 2 ibuprofen at 7 and went to sleep")]
    [InlineData("took 500 mg of paracetamol for the headache")]
    public void A_clock_time_a_measure_or_a_figure_of_speech_is_not_an_amount(string text) => Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Fact]
    public void An_overdose_told_as_history_is_not_an_emergency_now()
    {
        CrisisAssessment someoneElse = Rules("my uncle overdosed in 2009, we still miss him");
        Assert.True(someoneElse.Level <= RiskLevel.Moderate, someoneElse.Level.ToString());
        Assert.NotEqual(CrisisRung.ThirdPartyEmergency, someoneElse.Rung);

        CrisisAssessment resolved = Rules("I overdosed years ago and I'm doing well now");
        Assert.Equal(RiskLevel.Low, resolved.Level);
        Assert.Contains(CrisisSignals.Past, resolved.Signals);

        // The same act now is an emergency.
        Assert.Equal(RiskLevel.Imminent, Rules("my uncle overdosed an hour ago and wont wake up").Level);
    }

    [Fact]
    public void A_weapon_carried_is_at_hand_or_a_threat_with_a_target()
    {
        CrisisAssessment self = Rules("sitting in the car with my dad's shotgun");
        Assert.True(self.Level >= RiskLevel.High, self.Level.ToString());
        Assert.Contains(CrisisSignals.MeansAtHand, self.Signals);

        CrisisAssessment other = Rules("waiting outside her flat with a knife");
        Assert.Equal(RiskLevel.Imminent, other.Level);
        Assert.Equal(CrisisRung.HarmOthersThreat, other.Rung);

        Assert.True(Rules("going hunting with my uncle's rifle on saturday").Level < RiskLevel.High);
    }

    [Fact]
    public void A_target_located_with_a_harm_act_is_a_threat()
    {
        CrisisAssessment a = Rules("i want to stab him and i know where he lives");
        Assert.True(a.Level >= RiskLevel.High, a.Level.ToString());
        Assert.Equal(CrisisRung.HarmOthersThreat, a.Rung);
        Assert.True(Rules("i know where he lives, we used to be neighbours").Level < RiskLevel.Moderate);
    }

    [Fact]
    public void Hidden_injuries_are_self_harm_or_abuse()
    {
        CrisisAssessment self = Rules("wearing long sleeves to hide the cuts");
        Assert.Equal(RiskLevel.High, self.Level);
        Assert.Equal(CrisisRung.SelfHarm, self.Rung);

        CrisisAssessment abuse = Rules("my stepdad says i have to cover the bruises before school");
        Assert.True(abuse.Level >= RiskLevel.High, abuse.Level.ToString());
        Assert.Contains(CrisisCategory.Abuse, abuse.Categories);

        Assert.True(Rules("wearing long sleeves today because it's freezing").Level < RiskLevel.Moderate);
    }

    [Theory]
    [InlineData("what percentage of suicides involve a bridge")]
    [InlineData("my hamster died, how do i explain it to my son")]
    [InlineData("the tomatoes on my balcony are dying, how much water do they need")]
    public void Statistics_and_a_death_told_are_not_a_means_sought(string text) => Assert.True(Rules(text).Level < RiskLevel.High, text);

    [Theory]
    [InlineData("life's pointless. what's the tallest bridge near me")]
    [InlineData("tired of being a burden to everyone. how far is the drop from the car park roof")]
    public void Burden_or_hopelessness_then_a_height_question_is_a_method_sought(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.True(a.Level >= RiskLevel.High, text);
        Assert.Contains(CrisisSignals.MeansSeeking, a.Signals);
    }

    [Fact]
    public void The_same_height_question_without_the_context_is_not()
    {
        Assert.True(Rules("what's the tallest bridge near me? want to take photos at sunset").Level < RiskLevel.High);
    }

    [Fact]
    public void The_veto_lowers_high_to_the_check_in_and_never_below_it()
    {
        Assert.Equal(RiskLevel.Moderate, CrisisRiskModel.Lowered(RiskLevel.Imminent, 0.001, 0.005));
        Assert.Equal(RiskLevel.Moderate, CrisisRiskModel.Lowered(RiskLevel.High, 0.001, 0.005));
        Assert.Equal(RiskLevel.Moderate, CrisisRiskModel.Lowered(RiskLevel.Moderate, 0.001, 0.005));
        Assert.Equal(RiskLevel.Low, CrisisRiskModel.Lowered(RiskLevel.Low, 0.0, 0.005));
        Assert.Equal(RiskLevel.High, CrisisRiskModel.Lowered(RiskLevel.High, 0.2, 0.005));
        Assert.Equal(RiskLevel.High, CrisisRiskModel.Lowered(RiskLevel.High, 0.0, 0));
    }

    [Fact]
    public void The_embedded_model_carries_its_veto_and_a_round_trip_keeps_it()
    {
        CrisisRiskModel model = CrisisRiskModel.Default!;
        Assert.InRange(model.Veto, 0.0, 0.1);
        var text = new StringWriter();
        model.Write(text, ["test"]);
        CrisisRiskModel again = CrisisRiskModel.Read(new StringReader(text.ToString()))!;
        Assert.Equal(model.Veto, again.Veto);
        Assert.Equal(model.HighThreshold, again.HighThreshold);
    }
}
