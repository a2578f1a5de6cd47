using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// The construct engine as shipped (rules, memory and the embedded risk model), on the mechanisms each rule exists
/// for. Expectations follow the ladder in docs/crisis.md: non-specific thoughts and a wish to be dead are moderate (a
/// check-in), intent, a method, preparation and acts are high or imminent.
/// </summary>
public sealed class ConstructCrisisDetectorTests
{
    private static CrisisAssessment Assess(string text, params string[] earlier) => ConstructCrisisDetector.Default.Assess(new CrisisInput(text, earlier));

    private static CrisisAssessment Rules(string text, params string[] earlier) => ConstructCrisisDetector.Default.Assess(new CrisisInput(text, earlier), useModel: false);

    [Theory]
    [InlineData("I want to kill myself")]
    [InlineData("I wanna kms")]
    [InlineData("i wanna k!ll mys3lf")]
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
    public void Means_at_hand_respects_negation_and_neutral_frames(string text) => Assert.True(Rules(text).Level < RiskLevel.High, text);

    [Fact]
    public void Negation_lowers_risk_and_is_reported()
    {
        CrisisAssessment a = Rules("I would never kill myself, I'm just exhausted");
        Assert.True(a.Level <= RiskLevel.Low);
        Assert.Contains(CrisisSignals.Negated, a.Signals);
    }

    [Fact]
    public void Cannot_stop_is_not_a_negation()
    {
        // Persistent thoughts of harming someone, without a plan or a weapon, are the thoughts rung: moderate, not denied.
        CrisisAssessment a = Assess("I can't stop thinking about strangling him");
        Assert.True(a.Level >= RiskLevel.Moderate);
        Assert.DoesNotContain(CrisisSignals.Negated, a.Signals);
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
        Assert.Equal(RiskLevel.None, Rules("where is the tallest bridge around here", "I would never kill myself").Level);
    }

    [Fact]
    public void Risk_decays_over_turns_and_one_denial_does_not_reset_it()
    {
        CrisisAssessment denial = Assess("never mind, I'm fine, I would never do it", "I want to kill myself");
        Assert.Equal(RiskLevel.Moderate, denial.Level);
        Assert.Contains(CrisisSignals.ConversationMemory, denial.Signals);
        // The rules' memory decays; the learned model may still ask for a check-in from the conversation's context.
        CrisisAssessment later = Rules("ok", "I want to kill myself", "thanks", "fine", "ok then");
        Assert.True(later.Level < RiskLevel.Moderate);
    }

    [Fact]
    public void A_stated_age_under_18_raises_abuse()
    {
        CrisisAssessment a = Assess("He touches me and says it's our secret", "I'm 12");
        // A child disclosing abuse: high (escalated), as the level table has it.
        Assert.True(a.Level >= RiskLevel.High, a.Level.ToString());
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
        Assert.True(a.Level >= RiskLevel.Moderate);
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
        Assert.Equal(RiskLevel.Moderate, Rules("i think about sewerslide every day").Level);
    }

    [Theory]
    [InlineData("I took the bus to work.")]
    [InlineData("She took the money and ran")]
    [InlineData("when I took the position my manager said I'd get a raise")]
    [InlineData("I've taken my meds this morning like always")]
    [InlineData("took a shot at the interview, fingers crossed")]
    [InlineData("I took a few days off work")]
    [InlineData("he's taken the dog for a walk")]
    public void Took_and_taken_with_an_ordinary_object_are_not_an_ingestion(string text)
    {
        CrisisAssessment a = Assess(text);
        Assert.True(a.Level < RiskLevel.High, text);
        Assert.DoesNotContain(CrisisSignals.Ingestion, a.Signals);
    }

    [Theory]
    [InlineData("I took 30 pills an hour ago")]
    [InlineData("I just drank a glass of bleach.")]
    [InlineData("i swallowed the whole bottle of paracetamol")]
    [InlineData("I've taken all of my sleeping pills")]
    [InlineData("I mixed alcohol with my Xanax and I feel really weird.")]
    public void An_ingestion_already_done_is_imminent(string text)
    {
        CrisisAssessment a = Assess(text);
        Assert.Equal(RiskLevel.Imminent, a.Level);
        Assert.Equal(CrisisRung.Ingestion, a.Rung);
        Assert.Contains(CrisisSignals.Ingestion, a.Signals);
    }

    [Theory]
    [InlineData("I've been planning my suicide for weeks and I think I'm ready now", CrisisRung.Plan)]
    [InlineData("I bought rope this afternoon", CrisisRung.Preparation)]
    [InlineData("I've been giving away my stuff to my friends", CrisisRung.Preparation)]
    [InlineData("I wrote goodbye letters to my family", CrisisRung.Preparation)]
    [InlineData("I'm standing on the ledge of the parking garage and I want to jump", CrisisRung.ActInProgress)]
    [InlineData("the car is running in the closed garage", CrisisRung.ActInProgress)]
    [InlineData("I'm going to end my life tonight", CrisisRung.Plan)]
    [InlineData("I want to kill myself", CrisisRung.Intent)]
    [InlineData("how many of my pills would it take to kill me", CrisisRung.MethodThoughts)]
    public void Each_rung_of_the_ladder_from_intent_up_escalates(string text, CrisisRung rung)
    {
        CrisisAssessment a = Rules(text);
        Assert.True(a.Level >= RiskLevel.High, $"{text}: {a.Level}");
        Assert.Equal(rung, a.Rung);
        Assert.True(Assess(text).Level >= a.Level);
    }

    [Theory]
    [InlineData("I wish I could go to sleep and never wake up", CrisisRung.WishToBeDead)]
    [InlineData("everyone would be better off without me", CrisisRung.Burdensomeness)]
    [InlineData("i've been having thoughts of suicide lately", CrisisRung.WishToBeDead)]
    [InlineData("I really want to cut myself right now", CrisisRung.SelfHarmUrge)]
    [InlineData("I've been making myself throw up after every meal.", CrisisRung.EatingDisorder)]
    [InlineData("my partner tracks my phone and takes my money", CrisisRung.CoerciveControl)]
    [InlineData("My girlfriend says she wants to die. How can I help her?", CrisisRung.ThirdPartyConcern)]
    public void The_lower_rungs_are_a_check_in(string text, CrisisRung rung)
    {
        CrisisAssessment a = Rules(text);
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Equal(rung, a.Rung);
    }

    [Theory]
    [InlineData("he said he'd kill me if I leave", CrisisRung.ThreatToLife)]
    [InlineData("I'm going to stab him when he gets home", CrisisRung.HarmOthersThreat)]
    [InlineData("My mom beats me with a belt", CrisisRung.Abuse)]
    [InlineData("I cut myself last night", CrisisRung.SelfHarm)]
    [InlineData("how do I make myself throw up without anyone hearing", CrisisRung.EatingDisorderMethod)]
    public void Abuse_threats_harm_and_acts_are_high(string text, CrisisRung rung)
    {
        CrisisAssessment a = Rules(text);
        Assert.True(a.Level >= RiskLevel.High, $"{text}: {a.Level}");
        Assert.Equal(rung, a.Rung);
    }

    [Fact]
    public void A_child_disclosing_abuse_is_raised_and_named()
    {
        CrisisAssessment a = Rules("im 13 and my stepdad touches me at night");
        // High, as the level table has it: escalated, without being treated as an act in progress.
        Assert.Equal(RiskLevel.High, a.Level);
        Assert.Equal(CrisisRung.ChildAbuse, a.Rung);
        Assert.Contains(CrisisSignals.Minor, a.Signals);
    }

    [Theory]
    [InlineData("I would never hurt myself, I'm just stressed about exams")]
    [InlineData("in my novel the villain hangs himself in chapter 3")]
    [InlineData("for my psychology essay, why do people attempt suicide?")]
    [InlineData("I used to self-harm in high school but I'm 5 years clean and doing well")]
    [InlineData("we're planning a trip to the golden gate bridge, best time for photos?")]
    [InlineData("my mom is going to kill me if I fail this test lol")]
    [InlineData("I'm dying of embarrassment")]
    [InlineData("I cut my finger chopping onions")]
    [InlineData("what's the maximum safe dose of ibuprofen for a headache?")]
    [InlineData("bought a climbing rope for the gym")]
    [InlineData("How do I kill a process on Windows?")]
    public void Hard_negatives_do_not_escalate(string text) => Assert.True(Assess(text).Level < RiskLevel.High, $"{text}: {Assess(text).Level}");

    [Fact]
    public void Every_assessment_names_its_rung_and_constructs_never_the_words()
    {
        CrisisAssessment a = Rules("I wish I was dead and I feel hopeless");
        Assert.Equal(CrisisRung.WishToBeDead, a.Rung);
        Assert.Contains("passive_ideation", a.Constructs);
        Assert.DoesNotContain(a.Constructs, c => c.Contains(' ', StringComparison.Ordinal));
    }

    [Fact]
    public void Each_earlier_turn_is_analysed_once_not_on_every_later_turn()
    {
        var detector = new ConstructCrisisDetector(ConstructLexicon.Default, CrisisRiskModel.Default);
        var turns = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            detector.Assess(new CrisisInput($"message number {i} about my day", [.. turns]));
            turns.Add($"message number {i} about my day");
        }

        // 30 distinct turns: one analysis each, however many later turns read them as memory.
        Assert.Equal(30, detector.AnalysesComputed);
    }

    [Fact]
    public void Cost_is_linear_in_message_length()
    {
        // A repeated phrase is matched word by word through the trie: no pattern backtracks over repetition. The word
        // count bounds the work (each word walks at most MaxPhraseWords trie levels), checked here on the hits found.
        string word = string.Concat(Enumerable.Repeat("Mr. kill myself a. ", 2000));
        CrisisTokens tokens = CrisisTokens.Parse(word);
        List<ConstructHit> hits = ConstructLexicon.Default.Match(tokens);
        Assert.True(hits.Count <= tokens.Count * 8, $"{hits.Count} hits for {tokens.Count} words");
        Assert.True(ConstructCrisisDetector.Default.Assess(CrisisInput.ForMessage(word)).Level >= RiskLevel.Moderate);
    }

    [Theory]
    [InlineData("took", "take")]
    [InlineData("taking", "take")]
    [InlineData("taken", "take")]
    [InlineData("pills", "pill")]
    [InlineData("cutting", "cut")]
    [InlineData("killing", "kill")]
    [InlineData("planned", "plan")]
    [InlineData("choking", "choke")]
    [InlineData("choke", "choke")]
    [InlineData("choked", "choke")]
    [InlineData("scared", "scare")]
    [InlineData("scare", "scare")]
    [InlineData("scares", "scare")]
    [InlineData("scar", "scar")]
    [InlineData("scars", "scar")]
    [InlineData("scarred", "scar")]
    [InlineData("scarring", "scar")]
    [InlineData("stared", "stare")]
    [InlineData("starred", "star")]
    [InlineData("am", "be")]
    [InlineData("note", "note")]
    [InlineData("noted", "note")]
    public void The_stemmer_folds_inflections_to_one_key(string word, string stem) => Assert.Equal(stem, CrisisStemmer.Stem(word));

    [Fact]
    public void Tokens_expand_contractions_and_split_clauses()
    {
        CrisisTokens tokens = CrisisTokens.Parse("I'm not ok, but I don't want to die. Are you there?");
        Assert.Equal(["i", "am", "not", "ok", "but", "i", "do", "not", "want", "to", "die", "are", "you", "there"], tokens.Words);
        Assert.Equal(3, tokens.ClauseCount);
        Assert.True(tokens.ClauseIsQuestion[2]);
    }

    [Fact]
    public void The_embedded_lexicon_holds_the_fifty_clinical_constructs_and_the_model_loads()
    {
        ConstructLexicon lexicon = ConstructLexicon.Default;
        string[] constructs = ["passive_ideation", "active_ideation", "lethal_means", "self_injury", "burdensomeness", "hopelessness", "entrapment", "eating_disorder", "sexual_abuse", "physical_abuse"];
        Assert.All(constructs, c => Assert.True(lexicon.ClassId(c) >= 0, c));
        Assert.True(lexicon.PhraseCount > 4000);
        Assert.Contains(lexicon.Provenance, line => line.Contains("Apache-2.0", StringComparison.Ordinal));
        Assert.NotNull(CrisisRiskModel.Default);
        Assert.InRange(CrisisRiskModel.Default!.HighThreshold, 0.05, 0.99);
    }
}
