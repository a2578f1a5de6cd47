using EmpathyKit.Sentiment;

namespace EmpathyKit.Tests.Sentiment;

public sealed class LexiconSentimentAnalyzerTests
{
    [Fact]
    public void Nobody_cares_is_negative_with_loneliness_and_hopelessness()
    {
        SentimentResult r = LexiconSentimentAnalyzer.Analyze("Nobody cares about me and I don't see the point anymore");
        Assert.True(r.Valence <= -0.5, $"valence {r.Valence}");
        Assert.True(r.Emotions.ContainsKey(Emotion.Loneliness));
        Assert.True(r.Emotions.ContainsKey(Emotion.Hopelessness));
        Assert.Contains("negation", r.Signals);
    }

    [Fact]
    public void Overwhelmed_is_negative() => Assert.True(LexiconSentimentAnalyzer.Analyze("I'm so overwhelmed").Valence < -0.3);

    [Fact]
    public void But_shifts_the_weight_to_what_follows()
    {
        double contrast = LexiconSentimentAnalyzer.Analyze("The day was good but I feel awful").Valence;
        Assert.True(contrast < 0, $"valence {contrast}");
    }

    [Fact]
    public void Caps_and_exclamations_intensify()
    {
        double plain = LexiconSentimentAnalyzer.Analyze("I am happy").Valence;
        double loud = LexiconSentimentAnalyzer.Analyze("I am HAPPY!!").Valence;
        Assert.True(loud > plain);
    }

    [Fact]
    public void Neutral_text_is_neutral()
    {
        SentimentResult r = LexiconSentimentAnalyzer.Analyze("The bus leaves at nine");
        Assert.Equal(0, r.Valence);
        Assert.Equal(Emotion.Neutral, r.Dominant);
    }
}
