using EmpathyKit.Sentiment;

namespace EmpathyKit.Tests.Sentiment;

/// <summary>The valence rules added for opinion prose: clause-bounded negation, idioms, milder negated negatives, derivations.</summary>
public sealed class SentimentRuleTests
{
    private static double Valence(string text) => LexiconSentimentAnalyzer.Analyze(text, model: null).Valence;

    [Fact]
    public void Negation_does_not_reach_across_a_comma()
    {
        // "not" ends its clause; "inexcusable", three words on in the next one, is not negated.
        Assert.True(Valence("Off limits or not, firing was inexcusable.") < 0);
        Assert.True(Valence("It was not inexcusable.") > 0);
    }

    [Fact]
    public void Boosters_do_not_reach_across_a_clause_either()
    {
        double plain = Valence("We tried. It was good.");
        Assert.Equal(plain, Valence("We tried very. It was good."));
        Assert.True(Valence("It was very good.") > plain);
    }

    [Theory]
    [InlineData("It would be, if not a disaster, close to one.", -1)] // "if not" means "or even"
    [InlineData("It is not only cheap but excellent.", 1)] // "not only" adds
    [InlineData("It is not just good, it is excellent.", 1)]
    public void If_not_and_not_only_are_not_negations(string text, int sign)
    {
        SentimentResult result = LexiconSentimentAnalyzer.Analyze(text, model: null);
        Assert.Equal(sign, Math.Sign(result.Valence));
        Assert.DoesNotContain("negation", result.Signals);
    }

    [Fact]
    public void Cannot_stop_crying_is_crying()
    {
        SentimentResult result = LexiconSentimentAnalyzer.Analyze("I can't stop crying since she left", model: null);
        Assert.True(result.Valence < -0.3, $"valence {result.Valence}");
        Assert.Contains(Emotion.Sadness, result.Emotions.Keys);
        Assert.DoesNotContain("negation", result.Signals);
        Assert.True(Valence("I couldn't help feeling sad") < 0);
    }

    [Fact]
    public void A_negated_negative_is_only_mildly_positive()
    {
        double notBad = Valence("It was not bad");
        double good = Valence("It was good");
        Assert.True(notBad > 0 && notBad < good, $"not bad {notBad}, good {good}");
        Assert.True(Valence("It was not good") < -notBad, "a negated positive is clearly negative");
    }

    [Theory]
    [InlineData("The plan was unsupported and the staff unhelpful.", -1)] // un- turns a positive word round
    [InlineData("She was unafraid.", 1)] // ... and a negative one
    [InlineData("A restless, joyless week.", -1)] // -less
    [InlineData("He was fearless.", 1)]
    [InlineData("Their happiness was obvious.", 1)] // -ness keeps the sense ("happi" → "happy")
    [InlineData("The bitterness lingered.", -1)]
    public void Derivations_of_listed_words_are_scored(string text, int sign) =>
        Assert.Equal(sign, Math.Sign(Valence(text)));

    [Theory]
    [InlineData("The union met until noon.")] // "un" + "ion", "un" + "til": not listed words
    [InlineData("Nevertheless, the universe is large.")]
    public void Words_that_only_look_derived_stay_neutral(string text) => Assert.Equal(0, Valence(text));
}
