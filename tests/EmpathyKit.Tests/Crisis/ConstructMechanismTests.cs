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
    public void The_veto_lowers_high_to_the_check_in_and_never_below_it_nor_an_imminent_or_exempt_finding()
    {
        Assert.Equal(RiskLevel.Imminent, CrisisRiskModel.Lowered(RiskLevel.Imminent, 0.001, 0.005, lowerable: true));
        Assert.Equal(RiskLevel.Moderate, CrisisRiskModel.Lowered(RiskLevel.High, 0.001, 0.005, lowerable: true));
        Assert.Equal(RiskLevel.High, CrisisRiskModel.Lowered(RiskLevel.High, 0.001, 0.005, lowerable: false));
        Assert.Equal(RiskLevel.Moderate, CrisisRiskModel.Lowered(RiskLevel.Moderate, 0.001, 0.005, lowerable: true));
        Assert.Equal(RiskLevel.Low, CrisisRiskModel.Lowered(RiskLevel.Low, 0.0, 0.005, lowerable: true));
        Assert.Equal(RiskLevel.High, CrisisRiskModel.Lowered(RiskLevel.High, 0.2, 0.005, lowerable: true));
        Assert.Equal(RiskLevel.High, CrisisRiskModel.Lowered(RiskLevel.High, 0.0, 0, lowerable: true));
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

    [Theory]
    [InlineData("I made a poster for class. I have the pills in front of me")]
    [InlineData("we did a school project on suicide prevention. i have the rope in my room")]
    [InlineData("my novel is going well. i have the blade in my hand right now")]
    public void A_frame_does_not_reach_a_later_clause_where_the_speaker_talks_about_themselves(string text) =>
        Assert.True(Rules(text).Level >= RiskLevel.High, text);

    [Theory]
    [InlineData("I'm writing a novel. My character has the pills in front of him")]
    [InlineData("for my thriller: the villain has a gun in his hand")]
    [InlineData("i love photographing bridges. whats the tallest one near me")]
    public void A_frame_still_covers_the_clauses_about_its_characters_and_its_neutral_purpose(string text) =>
        Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Theory]
    [InlineData("i overdosed when i was 19")]
    [InlineData("i cut myself when i was 15")]
    [InlineData("I tried to kill myself in 2015")]
    public void An_act_dated_by_an_age_or_a_year_is_a_past_attempt_not_an_act_now(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Equal(CrisisRung.PastAttempt, a.Rung);
        Assert.DoesNotContain(CrisisSignals.Minor, a.Signals);
    }

    [Theory]
    [InlineData("i've been cutting myself since 2019")]
    [InlineData("I tried to kill myself in 2015 and I feel that way again")]
    [InlineData("i cut myself when i was 15 and i still do it")]
    public void A_dated_act_that_is_ongoing_or_back_is_not_history(string text) => Assert.True(Rules(text).Level >= RiskLevel.High, text);

    [Fact]
    public void An_age_told_as_the_past_does_not_make_the_speaker_a_minor()
    {
        Assert.DoesNotContain(CrisisSignals.Minor, Rules("when i was in 7th grade my uncle touched me").Signals);
        CrisisAssessment now = Rules("im in 7th grade and my uncle touches me");
        Assert.Contains(CrisisSignals.Minor, now.Signals);
        Assert.Equal(CrisisRung.ChildAbuse, now.Rung);
    }

    [Theory]
    [InlineData("burned my hand on the kettle, is cold water or ice better")]
    [InlineData("cut my finger on a tin of beans lol")]
    [InlineData("hit my knee on the coffee table, it's swollen")]
    public void An_injury_told_with_where_it_happened_is_an_accident(string text) => Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Theory]
    [InlineData("i keep hitting my head against the wall until it hurts")]
    [InlineData("i burned my arm on purpose with the lighter")]
    [InlineData("new cuts on my wrist, hiding them with a hoodie")]
    [InlineData("i cut myself on my thigh last night")]
    public void Repeated_deliberate_or_on_the_body_injuries_are_still_self_harm(string text) => Assert.True(Rules(text).Level >= RiskLevel.High, text);

    [Fact]
    public void An_injury_someone_else_caused_is_not_an_accident()
    {
        CrisisAssessment a = Rules("mum burned my hand on the stove to teach me a lesson");
        Assert.True(a.Level >= RiskLevel.Moderate, a.Level.ToString());
    }

    [Theory]
    [InlineData("my best friend keeps saying she wants to die and i don't know how to help her")]
    [InlineData("what are good ways to ask a teenager if they're thinking about dying")]
    public void Seeking_a_way_to_help_is_not_seeking_a_means(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.DoesNotContain(CrisisSignals.MeansSeeking, a.Signals);
        Assert.True(a.Level <= RiskLevel.Moderate, a.Level.ToString());
    }

    [Theory]
    [InlineData("does a paracetamol overdose hurt? asking for my pharmacology exam")]
    [InlineData("how do i know if someone is having a heart attack or just heartburn?")]
    public void An_emergency_asked_about_in_general_or_as_a_condition_is_not_happening(string text) => Assert.True(Rules(text).Level < RiskLevel.High, text);

    [Theory]
    [InlineData("i took a whole packet of paracetamol an hour ago, is that an overdose?")]
    [InlineData("my dad is having a heart attack what do i do")]
    public void The_same_emergency_told_as_happening_is_still_imminent(string text) => Assert.Equal(RiskLevel.Imminent, Rules(text).Level);

    [Fact]
    public void A_substance_named_in_the_lexicon_is_not_by_itself_the_risk_a_means_question_needs()
    {
        Assert.True(Rules("what does carbon monoxide poisoning feel like? our boiler is old").Level < RiskLevel.High);
        Assert.True(Rules("i'm a burden to everyone. how much carbon monoxide does it take").Level >= RiskLevel.High);
        Assert.True(Rules("which pills are the most dangerous in an overdose? i have loads at home").Level >= RiskLevel.High);
    }

    [Theory]
    [InlineData("my brother said he'd kill me if i spoiled the finale lmao")]
    [InlineData("i will actually kill him lol he ate my leftovers again")]
    public void A_threat_told_with_a_laugh_and_no_weapon_checks_in_without_escalating(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.True(a.Level < RiskLevel.High, a.Level.ToString());
    }

    [Fact]
    public void A_laugh_does_not_soften_a_threat_with_a_weapon()
    {
        Assert.True(Rules("lol i'm going to kill him, i have the knife in my bag").Level >= RiskLevel.High);
    }

    [Fact]
    public void Self_harm_in_the_past_progressive_and_resolved_is_low()
    {
        CrisisAssessment a = Rules("i was self harming most nights. therapy helped and i'm doing well now");
        Assert.Equal(RiskLevel.Low, a.Level);
        Assert.Contains(CrisisSignals.Past, a.Signals);
    }

    [Fact]
    public void A_minor_raises_abuse_to_high_but_leaves_other_findings_at_their_level()
    {
        CrisisAssessment abuse = Rules("im 14 and my dad hits me when he's drunk");
        Assert.True(abuse.Level >= RiskLevel.High, abuse.Level.ToString());
        Assert.Contains(CrisisSignals.Minor, abuse.Signals);
        CrisisAssessment thoughts = Rules("im 16 and i've been thinking about killing myself");
        Assert.Equal(RiskLevel.Moderate, thoughts.Level);
        Assert.Contains(CrisisSignals.Minor, thoughts.Signals);
    }

    [Fact]
    public void Repeating_words_adds_no_evidence_to_the_model()
    {
        ConstructCrisisDetector detector = ConstructCrisisDetector.Default;
        string once = "work has been a lot lately";
        string many = string.Join(' ', Enumerable.Repeat(once, 40));
        // Forty copies add one feature (the word pair "lately work" across copies), not forty times the evidence.
        int[] features = detector.Analyze(many).Features;
        Assert.Equal(features.Length, features.Distinct().Count());
        Assert.InRange(features.Length, detector.Analyze(once).Features.Length, detector.Analyze(once).Features.Length + 1);
        Assert.True(detector.Assess(new CrisisInput(many, [])).Level < RiskLevel.Moderate);
    }

    [Fact]
    public void A_run_on_clause_is_broken_so_the_rules_work_per_clause_stays_bounded()
    {
        string runOn = string.Join(' ', Enumerable.Repeat("i want to kill myself and", 300));
        CrisisTokens tokens = CrisisTokens.Parse(runOn);
        int[] sizes = [.. tokens.Clause.GroupBy(c => c).Select(g => g.Count())];
        Assert.All(sizes, n => Assert.InRange(n, 1, CrisisTokens.HardClauseWords));
        // Broken before a conjunction once past the soft bound, so the phrase itself is never cut.
        Assert.True(Rules(runOn).Level >= RiskLevel.High, Rules(runOn).Level.ToString());

        string noConjunction = string.Join(' ', Enumerable.Repeat("word", 1000));
        Assert.All(CrisisTokens.Parse(noConjunction).Clause.GroupBy(c => c).Select(g => g.Count()), n => Assert.InRange(n, 1, CrisisTokens.HardClauseWords));
    }

    [Fact]
    public void An_ordinary_long_sentence_keeps_its_clause()
    {
        // 30 words without punctuation: under the soft bound, one clause, so a composition across it is still read.
        string text = "i lost my job last week and my wife left me and i cannot sleep and i keep thinking about the bridge near my house and how tall it is";
        Assert.Equal(1, CrisisTokens.Parse(text).ClauseCount);
    }

    [Theory]
    [InlineData("I'm scared.")]
    [InlineData("i'm scared and alone tonight")]
    [InlineData("she scares me sometimes when she drives")]
    public void Scared_is_fear_not_a_scar(string text) => Assert.True(Rules(text).Level < RiskLevel.High, text);

    [Theory]
    [InlineData("i keep scarring my arms on purpose")]
    [InlineData("i cut my left wrist again last night")]
    [InlineData("i cut again")]
    public void A_scar_or_a_cut_done_to_oneself_is_still_self_harm(string text) => Assert.Equal(CrisisRung.SelfHarm, Rules(text).Rung);

    [Theory]
    [InlineData("cut my lunch break short to finish the report")]
    [InlineData("i burn my toast every single morning")]
    [InlineData("honestly cannot believe that song made the final cut")]
    [InlineData("still scratching my head over that referee decision")]
    public void A_cut_or_a_burn_of_a_thing_or_a_noun_or_an_idiom_is_not_self_harm(string text) => Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Theory]
    [InlineData("it really hit me how much i miss my grandad")]
    [InlineData("the loneliness hit me hard this weekend")]
    [InlineData("ha you beat me to it")]
    [InlineData("my coach pushes me to be better every week")]
    public void A_blow_from_a_thing_a_feeling_or_an_idiom_is_not_abuse(string text) => Assert.NotEqual(CrisisRung.Abuse, Rules(text).Rung);

    [Theory]
    [InlineData("my stepdad hit me again last night")]
    [InlineData("he really hit me this time")]
    public void A_blow_from_a_person_is_still_abuse(string text) => Assert.Equal(CrisisRung.Abuse, Rules(text).Rung);

    [Fact]
    public void A_symptom_after_something_taken_earlier_in_the_conversation_is_an_emergency()
    {
        var input = new CrisisInput("now my chest is tight and i cant breathe properly", ["i swallowed the whole packet an hour ago"]);
        CrisisAssessment a = ConstructCrisisDetector.Default.Assess(input, useModel: false);
        Assert.Equal(RiskLevel.Imminent, a.Level);
        Assert.Equal(CrisisRung.MedicalEmergency, a.Rung);
        Assert.Contains(CrisisSignals.ConversationMemory, a.Signals);

        CrisisAssessment alone = ConstructCrisisDetector.Default.Assess(new CrisisInput("now my chest is tight and i cant breathe properly", ["went for a long run this morning"]), useModel: false);
        Assert.True(alone.Level < RiskLevel.Imminent, alone.Level.ToString());
    }

    // Seventh round: who kills in "kill me", hyperbole, exact word forms, amounts, reference back, helpers, farewells.

    [Theory]
    [InlineData("that hot sauce nearly killed me")]
    [InlineData("this heat is going to kill me")]
    [InlineData("my coach is going to kill me when he sees my time")]
    [InlineData("my dad's gonna kill me, i lost his keys")]
    public void A_thing_or_a_named_person_predicted_to_kill_me_is_hyperbole(string text) => Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Theory]
    [InlineData("hes screaming that hes going to kill me")]
    [InlineData("she says shell kill me if i tell anyone")]
    [InlineData("my uncle told me he will kill me")]
    public void Someone_who_says_they_will_kill_me_is_a_threat_to_life(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.True(a.Level >= RiskLevel.High, text);
        Assert.Equal(CrisisRung.ThreatToLife, a.Rung);
    }

    [Theory]
    [InlineData("i wish someone would kill me")]
    [InlineData("i hope this illness kills me")]
    public void A_death_wished_for_at_anyones_hand_is_a_wish_to_be_dead(string text)
    {
        CrisisAssessment a = Rules(text);
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Equal(CrisisRung.WishToBeDead, a.Rung);
    }

    [Fact]
    public void A_threat_told_with_a_laugh_is_a_check_in() => Assert.Equal(RiskLevel.Moderate, Rules("my sister said she'd kill me if i spoiled the show lol").Level);

    [Fact]
    public void A_threat_to_kill_over_a_petty_grievance_is_a_thought_and_with_a_weapon_a_threat()
    {
        Assert.Equal(CrisisRung.HarmOthersThoughts, Rules("im going to kill my brother he ate my leftovers").Rung);
        Assert.Equal(CrisisRung.HarmOthersThreat, Rules("im going to kill my brother, i have a knife").Rung);
        Assert.Equal(CrisisRung.HarmOthersThreat, Rules("im literally going to kill him tonight").Rung);
    }

    [Fact]
    public void A_word_matched_as_written_does_not_meet_its_stems_other_words()
    {
        Assert.True(Rules("spilled bleach on my shirt, now it's tie dye").Level < RiskLevel.Moderate);
        Assert.True(Rules("the rope is tied and ready next to me").Level >= RiskLevel.High);
        Assert.True(Rules("heart racing and i cant breathe, how do i calm down").Level < RiskLevel.Imminent);
        Assert.Equal(RiskLevel.Imminent, Rules("i downed the bottle of pills and my chest hurts").Level);
    }

    [Fact]
    public void A_load_of_pills_swallowed_is_an_ingestion_and_loads_of_pills_taken_daily_is_not()
    {
        Assert.Equal(CrisisRung.Ingestion, Rules("i swallowed a load of my sleeping pills").Rung);
        Assert.True(Rules("my nan takes loads of pills every morning").Level < RiskLevel.Moderate);
        Assert.True(Rules("my mum is on lots of meds, how do i keep an eye on them").Level < RiskLevel.Moderate);
    }

    [Fact]
    public void A_means_referred_to_where_it_is_at_hand_is_at_hand()
    {
        Assert.True(Rules("pills, a bottle of vodka. they're all next to me now").Level >= RiskLevel.High);
        Assert.True(Rules("bought sunscreen and a towel. it's all next to me on the beach").Level < RiskLevel.Moderate);
    }

    [Fact]
    public void Being_in_a_car_park_is_not_being_at_a_height()
    {
        Assert.True(Rules("sat in the car park for an hour after work, so tired").Level < RiskLevel.Moderate);
        Assert.Equal(RiskLevel.Imminent, Rules("i'm on the roof of the car park and i want to die").Level);
    }

    [Fact]
    public void A_question_on_how_to_ask_others_about_it_is_not_a_disclosure()
    {
        Assert.True(Rules("what are the signs a pupil might be self harming? i want to be prepared").Level < RiskLevel.Moderate);
        Assert.True(Rules("how should i ask my clients about suicidal thoughts").Level < RiskLevel.Moderate);
        Assert.True(Rules("how do i talk to my therapist about my suicidal thoughts").Level >= RiskLevel.Moderate);
    }

    [Fact]
    public void Someone_else_cutting_themselves_is_a_concern_and_bleeding_now_an_emergency()
    {
        Assert.Equal(CrisisRung.ThirdPartyConcern, Rules("my brother has been cutting himself").Rung);
        Assert.Equal(CrisisRung.ThirdPartyEmergency, Rules("she's cutting herself right now and there's blood everywhere").Rung);
        Assert.True(Rules("my dad cut himself shaving").Level < RiskLevel.Moderate);
    }

    [Fact]
    public void A_goodbye_to_a_workplace_is_not_preparation()
    {
        Assert.True(Rules("can you help me write a goodbye message to my colleagues").Level < RiskLevel.Moderate);
        Assert.Equal(CrisisRung.Preparation, Rules("i wrote a goodbye letter to my family").Rung);
    }

    [Theory]
    [InlineData("i nearly died laughing at that")]
    [InlineData("i hope i don't wake up late tomorrow")]
    public void Laughing_and_oversleeping_are_idioms(string text) => Assert.True(Rules(text).Level < RiskLevel.Moderate, text);

    [Fact]
    public void Not_waking_up_at_all_is_still_a_wish_to_be_dead() => Assert.Equal(CrisisRung.WishToBeDead, Rules("i hope i don't wake up tomorrow").Rung);

    [Theory]
    [InlineData("hed kill me", "he would kill me")]
    [InlineData("shell find me", "she will find me")]
    [InlineData("hes outside", "he is outside")]
    [InlineData("the shed is full", "the shed is full")]
    [InlineData("go to hell", "go to hell")]
    public void Contractions_written_without_an_apostrophe_are_expanded_only_where_they_are_one(string text, string expected) =>
        Assert.Equal(expected, EmpathyKit.Crisis.CrisisTextNormalizer.Normalize(text));
}
