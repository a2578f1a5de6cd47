using EmpathyKit.Sentiment;

namespace EmpathyKit.Tests.Sentiment;

/// <summary>The general lexicon, regular inflections, and the Ekman emotions disgust and surprise.</summary>
public sealed class GeneralLexiconTests
{
    [Theory]
    [InlineData("An excellent, moving film with a superb cast.", 1)]
    [InlineData("The plot was dull and the acting mediocre.", -1)]
    [InlineData("Cheaply made, flimsy and unreliable: a waste of money.", -1)]
    [InlineData("Sturdy, affordable and easy to set up.", 1)]
    public void Everyday_evaluation_words_carry_valence(string text, int sign) =>
        Assert.Equal(sign, Math.Sign(LexiconSentimentAnalyzer.Analyze(text).Valence));

    [Theory]
    [InlineData("It annoyingly kept restarting.", Emotion.Anger)] // -ly
    [InlineData("She smiles whenever we talk.", Emotion.Joy)] // -s
    [InlineData("We celebrated all weekend.", Emotion.Joy)] // -d after a final e
    [InlineData("He was insulted and blamed for everything.", Emotion.Anger)] // -ed
    [InlineData("The service was disgustingly dirty.", Emotion.Disgust)] // -ly on an -ing adjective
    [InlineData("The smell was disgusting.", Emotion.Disgust)]
    [InlineData("I was really surprised by the ending.", Emotion.Surprise)]
    public void Regular_inflections_and_the_Ekman_emotions_are_found(string text, Emotion expected) =>
        Assert.Contains(expected, LexiconSentimentAnalyzer.Analyze(text).Emotions.Keys);

    [Theory]
    [InlineData("The meeting is on Tuesday at the library.")]
    [InlineData("Things are happening.")] // "happening" must not become "happen" + something scored
    [InlineData("Bless the process.")] // "bless" is not "blessed"; short or unlisted words stay unscored
    public void Words_not_in_the_lexicon_stay_neutral(string text) =>
        Assert.Equal(0, LexiconSentimentAnalyzer.Analyze(text).Valence);

    [Fact]
    public void The_distress_lexicon_overrides_the_general_one()
    {
        // "stupid" is anger in the general lexicon but shame in the distress table ("I feel so stupid"). The lexicons
        // alone: the learned layer may add anger below shame (see LearnedEmotionLayerTests).
        SentimentResult result = LexiconSentimentAnalyzer.Analyze("I feel so stupid", model: null);
        Assert.Contains(Emotion.Shame, result.Emotions.Keys);
        Assert.DoesNotContain(Emotion.Anger, result.Emotions.Keys);
    }
}
