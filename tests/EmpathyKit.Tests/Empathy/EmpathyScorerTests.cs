using EmpathyKit.Cli.Eval;
using EmpathyKit.Empathy;

namespace EmpathyKit.Tests.Empathy;

/// <summary>The EPITOME scorer on the project's calibration pairs and on its individual rules.</summary>
public sealed class EmpathyScorerTests
{
    private static readonly EpitomeScorer Scorer = new();

    [Fact]
    public void Every_calibration_pair_lands_in_its_band_with_exactly_its_expected_flags()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Empathy", "empathy-pairs.jsonl");

        EmpathyEvaluation result = EmpathyEvaluation.Run(Scorer, path, details: false, CancellationToken.None);

        Assert.True(result.Metrics["pairs"] >= 60, "the set must hold at least 60 pairs");
        Assert.True(result.AllExpectationsMet, result.Format());
        Assert.True(result.KnownMisses.Count <= 5, "more than five known misses: fix the scorer rather than mark the set");
        Assert.True(result.Metrics["mean.good"] >= 4.5);
        Assert.True(result.Metrics["mean.generic"] <= 2);
    }

    [Fact]
    public void A_strong_reply_scores_two_on_each_mechanism_and_says_why()
    {
        EmpathyScore score = Scorer.Score(new EmpathyScoreRequest(
            "I can't sleep since the break-up.",
            "That sounds exhausting. It sounds like the break-up is keeping you awake at night. What goes through your mind when you can't sleep?"));

        Assert.Equal((2, 2, 2), (score.EmotionalReaction, score.Interpretation, score.Exploration));
        Assert.Equal(6, score.Total);
        Assert.Empty(score.Flags);
        Assert.Equal(["er:feeling_named", "ip:specific_reflection", "ex:open_question"], score.Signals);
    }

    [Fact]
    public void A_marked_known_miss_does_not_fail_the_run_until_it_is_met_and_then_it_does()
    {
        string path = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        const string missed = """{"id": "k1", "message": "My dog died.", "reply": "Okay.", "band": [4, 6], "flags": [], "known_miss": "test"}""";
        const string met = """{"id": "k2", "message": "My dog died.", "reply": "Okay.", "band": [0, 2], "flags": ["generic"], "known_miss": "test"}""";
        try
        {
            File.WriteAllText(path, missed + "\n");
            EmpathyEvaluation known = EmpathyEvaluation.Run(Scorer, path, details: false, CancellationToken.None);
            File.WriteAllText(path, missed + "\n" + met + "\n");
            EmpathyEvaluation fixedOne = EmpathyEvaluation.Run(Scorer, path, details: false, CancellationToken.None);

            Assert.True(known.AllExpectationsMet, known.Format());
            Assert.Equal(["k1"], known.KnownMisses);
            Assert.Equal(0, known.Metrics["in_band"]);
            Assert.False(fixedOne.AllExpectationsMet);
            Assert.Equal(["k2"], fixedOne.FixedKnownMisses);
            Assert.Contains("remove known_miss", fixedOne.Format(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("I'm sorry to hear that.", 1, 0, 0)]
    [InlineData("How are you?", 0, 0, 1)]
    [InlineData("Are you okay?", 0, 0, 1)]
    [InlineData("Have you tried going for a walk?", 0, 0, 0)]
    [InlineData("Tell me more about what happened.", 0, 0, 2)]
    [InlineData("Tell me more.", 0, 0, 1)]
    [InlineData("I see. What else is going on for you?", 0, 0, 1)]
    [InlineData("That sounds humiliating.", 2, 0, 0)]
    [InlineData("That must be so disorienting.", 2, 0, 0)]
    [InlineData("Part of you may be grieving.", 0, 1, 0)]
    public void Weak_and_missing_mechanisms(string reply, int er, int ip, int ex)
    {
        EmpathyScore score = Scorer.Score(new EmpathyScoreRequest("My week has been awful.", reply, TurnIndex: 3));

        Assert.Equal((er, ip, ex), (score.EmotionalReaction, score.Interpretation, score.Exploration));
    }

    [Theory]
    [InlineData("Okay. Tell me more.")]
    [InlineData("Thanks for sharing that with me.")]
    [InlineData("Thank you for opening up about this, I understand.")]
    public void Stock_acknowledgements_and_bare_invitations_are_generic(string reply)
    {
        EmpathyScore score = Scorer.Score(new EmpathyScoreRequest("Money is so tight I haven't slept properly in weeks.", reply));

        Assert.Contains(EmpathyFlags.Generic, score.Flags);
        Assert.True(score.Total <= 2, score.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Typographic_apostrophes_score_as_ascii_ones_do()
    {
        const string user = "I can't sleep since the break-up and I'm so tired.";
        const string reply = "I'm so sorry, you're exhausted. It sounds like you've been lying awake since the break-up. What's on your mind at night?";

        EmpathyScore ascii = Scorer.Score(new EmpathyScoreRequest(user, reply));
        EmpathyScore typographic = Scorer.Score(new EmpathyScoreRequest(user.Replace('\'', '\u2019'), reply.Replace('\'', '\u2019')));

        Assert.Equal(ascii.Signals, typographic.Signals);
        Assert.Equal(ascii.Total, typographic.Total);
        Assert.Equal(ascii.Flags, typographic.Flags);
        Assert.True(EmpathyKit.Text.ReplyPatterns.AsksForDiagnosisOrMedication("What\u2019s wrong with me?"));
    }

    [Fact]
    public void Repeating_an_earlier_reply_is_flagged_and_a_fresh_one_is_not()
    {
        string[] previous = ["That sounds really painful. What has been the hardest part of this for you?"];

        EmpathyScore repeated = Scorer.Score(new EmpathyScoreRequest("Still awful.", "I'm here. What has been the hardest part of this for you?", 2, previous));
        EmpathyScore fresh = Scorer.Score(new EmpathyScoreRequest("Still awful.", "That still sounds heavy. When did it start to feel this way?", 2, previous));

        Assert.Contains(EmpathyFlags.Repetitive, repeated.Flags);
        Assert.DoesNotContain(EmpathyFlags.Repetitive, fresh.Flags);
    }

    [Fact]
    public void Empty_input_scores_zero_without_throwing()
    {
        EmpathyScore score = Scorer.Score(new EmpathyScoreRequest(string.Empty, string.Empty));

        Assert.Equal(0, score.Total);
        Assert.Contains(EmpathyFlags.Generic, score.Flags);
    }
}
