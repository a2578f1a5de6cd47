namespace EmpathyKit;

/// <summary>Valence and emotions of a message, with the cues that produced them.</summary>
/// <param name="Valence">Overall valence from −1 (very negative) to 1 (very positive).</param>
/// <param name="Emotions">Detected emotions with intensity 0..1; <see cref="Emotion.Neutral"/> alone when none fired.</param>
/// <param name="Signals">The cues that fired (lexicon classes and rules such as <c>negation</c>), never message text.</param>
public sealed record SentimentResult(double Valence, IReadOnlyDictionary<Emotion, double> Emotions, IReadOnlyList<string> Signals)
{
    /// <summary>Gets a neutral result.</summary>
    public static SentimentResult Neutral { get; } =
        new(0, new Dictionary<Emotion, double> { [Emotion.Neutral] = 1.0 }, []);

    /// <summary>Gets the strongest emotion, or <see cref="Emotion.Neutral"/>.</summary>
    public Emotion Dominant =>
        Emotions.Count == 0 ? Emotion.Neutral : Emotions.MaxBy(e => e.Value).Key;
}
