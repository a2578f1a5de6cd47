using EmpathyKit.Sentiment;

namespace EmpathyKit.Tests.Sentiment;

/// <summary>The learned emotion layer (<see cref="EmotionModel"/>): its file form, its two feature paths and its limits.</summary>
public sealed class LearnedEmotionLayerTests
{
    private static readonly string[] Messages =
    [
        "I feel so stupid",
        "How do I tell my mum I failed my exams?",
        "I love my kids but I can't go on",
        "That's disgusting, he cheated on me!",
        "I'm not afraid anymore, not afraid of anything",
        "WHY would anyone do that?? I'm furious",
        "thank you so much, that really helped",
        "The bus leaves at nine",
        "",
    ];

    [Fact]
    public void The_embedded_model_loads_with_a_weight_per_class_for_every_feature()
    {
        EmotionModel model = EmotionModel.Default;
        Assert.True(model.Words.Count > 1000, $"{model.Words.Count} words");
        Assert.All(model.Words.Values, w => Assert.Equal(EmotionModel.Classes.Count, w.Length));
        Assert.All(model.Thresholds, t => Assert.InRange(t, 0.05, 0.95));
    }

    [Fact]
    public void Writing_and_parsing_round_trips()
    {
        EmotionModel model = EmotionModel.Default;
        using var text = new StringWriter();
        model.Write(text, ["a header line"]);
        EmotionModel copy = EmotionModel.Parse(new StringReader(text.ToString()));

        Assert.Equal(model.Thresholds, copy.Thresholds);
        Assert.Equal(model.Bias, copy.Bias);
        Assert.Equal(model.Words.Count, copy.Words.Count);
        Assert.All(model.Words, w => Assert.Equal(w.Value, copy.Words[w.Key]));
        Assert.StartsWith("# a header line", text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bias 1 2 3")] // too few numbers
    [InlineData("threshold 0.2 0.2 0.2 0.2 0.2 1.5")] // a threshold outside (0, 1)
    [InlineData("word happy 1 2 3 4 5 x")] // not a number
    [InlineData("weights happy 1 2 3 4 5 6")] // an unknown line
    [InlineData("classes anger joy")] // other classes
    public void A_malformed_model_is_a_format_error(string bad)
    {
        using var text = new StringWriter();
        EmotionModel.Default.Write(text, []);
        Assert.Throws<FormatException>(() => EmotionModel.Parse(new StringReader(text + bad + "\n")));
    }

    [Fact]
    public void A_model_without_thresholds_is_a_format_error() =>
        Assert.Throws<FormatException>(() => EmotionModel.Parse(new StringReader("bias 0 0 0 0 0 0\n")));

    [Theory]
    [MemberData(nameof(MessageData))]
    public void The_trainer_path_and_the_analyzer_path_give_the_same_probabilities(string message)
    {
        // The trainer sees feature names; the analyzer looks spans up without allocating. They must agree exactly,
        // or the model would be applied to features it was not trained on.
        (List<string> features, double[] dense) = LexiconSentimentAnalyzer.ModelFeatures(message);
        var fromNames = new double[EmotionModel.Classes.Count];
        EmotionModel.Default.Probabilities(features, dense, fromNames);

        SentimentResult hand = LexiconSentimentAnalyzer.Analyze(message, model: null);
        SentimentResult both = LexiconSentimentAnalyzer.Analyze(message);
        for (int k = 0; k < fromNames.Length; k++)
        {
            Emotion emotion = EmotionModel.Classes[k];
            double expected = Math.Round(EmotionModel.Default.Intensity(k, fromNames[k]), 3);
            double handIntensity = hand.Emotions.GetValueOrDefault(emotion);
            double strongest = hand.Emotions.Where(e => e.Key != Emotion.Neutral).Select(e => e.Value).DefaultIfEmpty(0).Max();
            double ceiling = strongest > 0 ? Math.Max(EmotionModel.PresentIntensity, strongest - 0.001) : 1;
            double want = expected >= EmotionModel.PresentIntensity && Math.Min(ceiling, expected) > handIntensity ? Math.Min(ceiling, expected) : handIntensity;
            Assert.Equal(want, both.Emotions.GetValueOrDefault(emotion), 9);
        }
    }

    [Theory]
    [MemberData(nameof(MessageData))]
    public void The_layer_never_lowers_an_emotion_or_outranks_the_lexicons(string message)
    {
        SentimentResult hand = LexiconSentimentAnalyzer.Analyze(message, model: null);
        SentimentResult both = LexiconSentimentAnalyzer.Analyze(message);

        Assert.Equal(hand.Valence, both.Valence);
        foreach ((Emotion emotion, double intensity) in hand.Emotions.Where(e => e.Key != Emotion.Neutral))
        {
            Assert.True(both.Emotions.GetValueOrDefault(emotion) >= intensity, $"{emotion} lowered");
        }

        if (hand.Dominant != Emotion.Neutral && hand.Emotions[hand.Dominant] >= EmotionModel.PresentIntensity)
        {
            Assert.Equal(hand.Dominant, both.Dominant);
        }
    }

    [Fact]
    public void Hopelessness_stays_first_when_love_is_mentioned()
    {
        SentimentResult result = LexiconSentimentAnalyzer.Analyze("I love my kids but I can't go on");
        Assert.Equal(Emotion.Hopelessness, result.Dominant);
        Assert.True(result.Valence < 0, $"valence {result.Valence}");
    }

    [Fact]
    public void What_the_layer_adds_is_named_in_the_signals()
    {
        // No lexicon word says anger here; the learned layer does, and says so.
        SentimentResult result = LexiconSentimentAnalyzer.Analyze("WHY would anyone do that?? Unbelievable, what a joke");
        SentimentResult hand = LexiconSentimentAnalyzer.Analyze("WHY would anyone do that?? Unbelievable, what a joke", model: null);
        string[] added = [.. result.Signals.Except(hand.Signals)];
        Assert.NotEmpty(added);
        Assert.All(added, s => Assert.StartsWith("model:", s, StringComparison.Ordinal));
        Assert.All(added, s => Assert.Contains(result.Emotions.Keys, e => "model:" + e.ToWireName() == s));
    }

    [Fact]
    public void Neutral_text_stays_neutral() =>
        Assert.Equal(Emotion.Neutral, LexiconSentimentAnalyzer.Analyze("The bus leaves at nine").Dominant);

    public static TheoryData<string> MessageData()
    {
        var data = new TheoryData<string>();
        foreach (string message in Messages)
        {
            data.Add(message);
        }

        return data;
    }
}
