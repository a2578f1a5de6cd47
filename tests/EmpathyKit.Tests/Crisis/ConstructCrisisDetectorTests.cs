using EmpathyKit.Crisis;

namespace EmpathyKit.Tests.Crisis;

public sealed class PhraseCrisisDetectorTests
{
    private static CrisisAssessment Assess(string text, params string[] earlier) => PhraseCrisisDetector.Assess(new CrisisInput(text, earlier));

    [Theory]
    [InlineData("I want to kill myself")]
    [InlineData("I wanna kms")]
    [InlineData("i think about sewerslide every day")]
    [InlineData("I started cutting again.")]
    [InlineData("My mom beats me with a belt")]
    [InlineData("I'm going to kill my stepdad.")]
    public void Direct_risk_is_high_or_above(string text) => Assert.True(Assess(text).Level >= RiskLevel.High, text);

    [Theory]
    [InlineData("I have the pills in front of me and I'm taking them tonight")]
    [InlineData("I just took a whole bottle of sleeping pills.")]
    [InlineData("I tied the noose already.")]
    public void Plans_with_means_and_ingestion_are_imminent(string text) => Assert.Equal(RiskLevel.Imminent, Assess(text).Level);

    [Theory]
    [InlineData("This commute is killing me")]
    [InlineData("I'm dying to see that film")]
    [InlineData("How do I kill the process on port 8080?")]
    [InlineData("Shoot me a text when you land")]
    [InlineData("We need to cut the cake")]
    [InlineData("I'm dead tired after the shift")]
    [InlineData("My phone died again")]
    [InlineData("I want to die my hair blue")]
    [InlineData("What's the highest bridge in the world? Just curious.")]
    public void Idioms_and_neutral_questions_stay_none(string text) => Assert.Equal(RiskLevel.None, Assess(text).Level);

    [Theory]
    [InlineData("I have the pills in front of me")]
    [InlineData("I've got the pills right here")]
    [InlineData("there's a knife in my hand")]
    [InlineData("the rope is ready for tonight")]
    [InlineData("ive been saving up my meds for weeks")]
    [InlineData("I have enough tablets to not wake up")]
    [InlineData("my dads gun is next to me")]
    public void A_means_within_reach_or_being_gathered_is_high_without_any_distress_words(string text)
    {
        CrisisAssessment assessment = Assess(text);
        Assert.True(assessment.Level >= RiskLevel.High, text);
        Assert.Contains(CrisisSignals.MeansAtHand, assessment.Signals);
    }

    [Fact]
    public void A_means_within_reach_with_distress_is_imminent()
    {
        Assert.Equal(RiskLevel.Imminent, Assess("I can't go on, I have the pills in front of me").Level);
    }

    [Theory]
    [InlineData("I don't have any pills in front of me")]
    [InlineData("in my novel the character has the pills in front of her and a knife in her hand")]
    [InlineData("for my essay: the tallest bridges are right here on the map")]
    [InlineData("I keep my vitamins next to the kettle")]
    public void Means_at_hand_respects_negation_and_neutral_frames(string text) => Assert.True(Assess(text).Level < RiskLevel.High, text);

    [Fact]
    public void Negation_lowers_risk_and_is_reported()
    {
        CrisisAssessment a = Assess("I would never kill myself, I'm just exhausted");
        Assert.True(a.Level <= RiskLevel.Low);
        Assert.Contains(CrisisSignals.Negated, a.Signals);
    }

    [Fact]
    public void Cannot_stop_is_not_a_negation()
    {
        Assert.True(Assess("I can't stop thinking about strangling him").Level >= RiskLevel.High);
    }

    [Fact]
    public void Someone_else_at_risk_is_third_party_not_an_escalation()
    {
        CrisisAssessment a = Assess("My girlfriend says she wants to die. How can I help her?");
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Equal(CrisisCategory.ThirdParty, a.Categories[0]);
        Assert.Contains(CrisisSignals.OtherPerson, a.Signals);
    }

    [Fact]
    public void Past_and_resolved_ideation_is_low()
    {
        CrisisAssessment a = Assess("I had suicidal thoughts a few years ago but I got help and I'm okay now.");
        Assert.Equal(RiskLevel.Low, a.Level);
        Assert.Contains(CrisisSignals.Past, a.Signals);
    }

    [Fact]
    public void Means_question_is_high_after_distress_and_none_in_a_neutral_frame()
    {
        Assert.True(Assess("What's the highest bridge in San Francisco?", "I lost my job and I feel hopeless").Level >= RiskLevel.High);
        Assert.Equal(RiskLevel.None, Assess("What's the highest bridge there? We want a good photo spot.", "We're visiting San Francisco next month").Level);
    }

    [Fact]
    public void A_denial_does_not_hide_distress_later_in_the_same_message_from_memory()
    {
        Assert.True(Assess("where is the tallest bridge around here", "I would never kill myself, but I feel hopeless and worthless").Level >= RiskLevel.High);
        Assert.Equal(RiskLevel.None, Assess("where is the tallest bridge around here", "I would never kill myself").Level);
    }

    [Fact]
    public void Risk_decays_over_turns_and_one_denial_does_not_reset_it()
    {
        CrisisAssessment denial = Assess("never mind, I'm fine, I would never do it", "I want to kill myself");
        Assert.Equal(RiskLevel.Moderate, denial.Level);
        Assert.Contains(CrisisSignals.ConversationMemory, denial.Signals);
        CrisisAssessment later = Assess("ok", "I want to kill myself", "thanks", "fine", "ok then");
        Assert.True(later.Level < RiskLevel.Moderate);
    }

    [Fact]
    public void A_stated_age_under_18_raises_abuse()
    {
        CrisisAssessment a = Assess("He touches me and says it's our secret", "I'm 12");
        Assert.Equal(RiskLevel.Imminent, a.Level);
        Assert.Contains("minor", a.Signals);
    }

    [Theory]
    [InlineData("How do I drown myself?")]
    [InlineData("Which pills will let me overdose fastest?")]
    [InlineData("Find me the best place around here to kill yourself")]
    [InlineData("How can I carve a scar into my arm?")]
    [InlineData("help me write my suicide note")]
    public void A_method_applied_to_oneself_is_high(string text) => Assert.True(Assess(text).Level >= RiskLevel.High, text);

    [Fact]
    public void Kill_myself_alone_is_not_a_method()
    {
        CrisisAssessment a = Assess("If I kill myself will my parents miss me?");
        Assert.Equal(RiskLevel.High, a.Level);
        Assert.DoesNotContain(CrisisSignals.Means, a.Signals);
    }

    [Fact]
    public void Asking_for_an_eating_disorder_method_is_high_and_disclosing_one_is_moderate()
    {
        Assert.Equal(RiskLevel.High, Assess("Is it a good idea to binge eat and then vomit it all back up?").Level);
        Assert.Equal(RiskLevel.High, Assess("Tell me some online communities that give tips on being anorexic").Level);
        CrisisAssessment disclosure = Assess("I've been making myself throw up after every meal.");
        Assert.Equal(RiskLevel.Moderate, disclosure.Level);
        Assert.Equal(CrisisCategory.EatingDisorder, disclosure.Categories[0]);
    }

    [Fact]
    public void Is_it_worth_being_alive_is_passive_ideation()
    {
        CrisisAssessment a = Assess("Is it worth me being alive?");
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Contains(CrisisSignals.PassiveIdeation, a.Signals);
    }

    [Fact]
    public void Asking_how_to_slit_wrists_is_a_method_not_an_ingestion()
    {
        CrisisAssessment a = Assess("Tell me how to slit my wrists");
        Assert.Equal(RiskLevel.High, a.Level);
        Assert.DoesNotContain(CrisisSignals.Ingestion, a.Signals);
        Assert.Equal(RiskLevel.Imminent, Assess("I just slit my wrists").Level);
    }

    [Fact]
    public void A_stated_intention_is_reported_as_intent()
    {
        Assert.Contains(CrisisSignals.Intent, Assess("I've decided to end things tonight").Signals);
        Assert.Contains(CrisisSignals.Intent, Assess("I'm going to kill my stepdad.").Signals);
        Assert.DoesNotContain(CrisisSignals.Intent, Assess("i think about suicide constantly").Signals);
    }
}
