using System.Collections.Frozen;
using System.Globalization;

namespace EmpathyKit.Sentiment;

/// <summary>
/// EmpathyKit's own lexicon, written for this project (not derived from VADER or any other lexicon): a general
/// lexicon of everyday evaluative words (<c>general-lexicon.txt</c>, embedded) and, overriding it, words of distress and
/// support with a valence on a −4..4 scale, the emotion they express, and the emotion they express when negated
/// ("nobody <em>cares</em>" is loneliness, "no <em>point</em>" is hopelessness).
/// </summary>
internal static class SentimentLexicon
{
    /// <summary>One lexicon entry.</summary>
    /// <param name="Valence">Valence −4..4.</param>
    /// <param name="Emotion">Emotion expressed, if any.</param>
    /// <param name="NegatedEmotion">Emotion expressed when the word is negated, if any.</param>
    internal readonly record struct Entry(double Valence, Emotion? Emotion, Emotion? NegatedEmotion);

    // word valence emotion negated-emotion ("-" for none). Inflections are listed where they matter.
    private const string Table = """
        sad -2.0 Sadness -
        sadness -2.0 Sadness -
        unhappy -2.0 Sadness -
        miserable -2.8 Sadness -
        depressed -2.8 Sadness -
        down -1.0 Sadness -
        low -1.0 Sadness -
        crying -2.2 Sadness -
        cry -2.0 Sadness -
        cried -2.0 Sadness -
        tears -1.6 Sadness -
        heartbroken -3.0 Sadness -
        grief -2.6 Sadness -
        grieving -2.6 Sadness -
        lost -1.6 Sadness -
        hurt -2.2 Sadness -
        hurts -2.2 Sadness -
        pain -2.4 Sadness -
        painful -2.4 Sadness -
        empty -2.2 Sadness -
        numb -2.0 Sadness -
        disappointed -2.0 Sadness -
        devastated -3.2 Sadness -
        anxious -2.2 Anxiety -
        anxiety -2.2 Anxiety -
        worried -1.8 Anxiety -
        worry -1.8 Anxiety -
        worrying -1.8 Anxiety -
        nervous -1.6 Anxiety -
        scared -2.2 Anxiety -
        afraid -2.2 Anxiety -
        terrified -3.0 Anxiety -
        panic -2.8 Anxiety -
        panicking -2.8 Anxiety -
        fear -2.2 Anxiety -
        stressed -2.0 Overwhelm -
        stress -1.8 Overwhelm -
        overwhelmed -2.6 Overwhelm -
        overwhelming -2.4 Overwhelm -
        exhausted -2.2 Overwhelm -
        tired -1.4 Overwhelm -
        drained -2.0 Overwhelm -
        burnt -1.8 Overwhelm -
        burnout -2.2 Overwhelm -
        angry -2.4 Anger -
        anger -2.4 Anger -
        mad -2.0 Anger -
        furious -3.0 Anger -
        frustrated -2.0 Anger -
        annoyed -1.6 Anger -
        hate -2.8 Anger -
        resent -2.2 Anger -
        unfair -1.8 Anger -
        lonely -2.4 Loneliness -
        alone -2.0 Loneliness -
        isolated -2.4 Loneliness -
        abandoned -2.8 Loneliness -
        ignored -2.0 Loneliness -
        invisible -2.0 Loneliness -
        hopeless -3.0 Hopelessness -
        pointless -2.6 Hopelessness -
        worthless -3.0 Shame -
        useless -2.6 Shame -
        trapped -2.8 Hopelessness -
        stuck -1.8 Hopelessness -
        meaningless -2.6 Hopelessness -
        ashamed -2.6 Shame -
        shame -2.4 Shame -
        guilty -2.2 Shame -
        guilt -2.2 Shame -
        embarrassed -1.8 Shame -
        burden -2.6 Shame -
        failure -2.6 Shame -
        failed -2.0 Shame -
        stupid -2.0 Shame -
        awful -2.8 - -
        terrible -2.8 - -
        horrible -2.8 - -
        bad -2.0 - -
        worse -2.2 - -
        worst -3.0 - -
        sick -1.8 - -
        broken -2.4 Sadness -
        suffering -2.8 Sadness -
        struggling -2.0 Overwhelm -
        struggle -1.8 Overwhelm -
        cares 1.6 - Loneliness
        care 1.6 - Loneliness
        cared 1.6 - Loneliness
        loves 2.4 - Loneliness
        loved 2.4 - Loneliness
        love 2.6 Joy Loneliness
        understands 1.4 - Loneliness
        listens 1.2 - Loneliness
        point 0.6 - Hopelessness
        hope 1.8 - Hopelessness
        hopeful 2.2 Joy Hopelessness
        future 0.6 - Hopelessness
        matter 0.8 - Hopelessness
        matters 0.8 - Hopelessness
        worth 1.2 - Hopelessness
        good 1.8 Joy Sadness
        great 2.6 Joy Sadness
        fine 0.8 - Sadness
        okay 0.8 - Sadness
        ok 0.8 - Sadness
        better 1.6 Relief Sadness
        happy 2.6 Joy Sadness
        happier 2.4 Joy Sadness
        glad 2.2 Joy -
        joy 2.8 Joy -
        excited 2.6 Joy -
        proud 2.4 Joy -
        amazing 3.0 Joy -
        wonderful 3.0 Joy -
        awesome 2.8 Joy -
        fantastic 3.0 Joy -
        beautiful 2.4 Joy -
        nice 1.8 Joy -
        fun 2.2 Joy -
        enjoy 2.2 Joy -
        enjoyed 2.2 Joy -
        like 1.2 - -
        best 2.8 Joy -
        thanks 1.8 Gratitude -
        thank 1.8 Gratitude -
        grateful 2.6 Gratitude -
        thankful 2.6 Gratitude -
        appreciate 2.2 Gratitude -
        relieved 2.4 Relief -
        relief 2.2 Relief -
        calm 1.8 Relief Anxiety
        calmer 1.8 Relief -
        peaceful 2.2 Relief -
        safe 1.6 Relief Anxiety
        helpful 1.8 Gratitude -
        helped 1.8 Gratitude -
        recommend 1.6 - -
        boring -1.6 - -
        dull -1.4 - -
        disappointing -2.2 Sadness -
        waste -2.0 - -
        mess -1.8 Overwhelm -
        kill -2.6 - -
        die -2.8 Hopelessness -
        dead -2.6 Hopelessness -
        suicide -3.4 Hopelessness -
        suicidal -3.4 Hopelessness -
        alive 1.0 - Hopelessness
        living 0.6 - Hopelessness
        """;

    /// <summary>
    /// Multiword expressions of distress whose words carry little on their own ("end my life"), as lower-case words
    /// without apostrophes, with valence and emotion.
    /// </summary>
    public static IReadOnlyList<(string[] Words, double Valence, Emotion Emotion)> Phrases { get; } =
    [
        (["end", "my", "life"], -3.4, Emotion.Hopelessness),
        (["take", "my", "life"], -3.4, Emotion.Hopelessness),
        (["kill", "myself"], -3.4, Emotion.Hopelessness),
        (["want", "to", "die"], -3.2, Emotion.Hopelessness),
        (["no", "way", "out"], -3.0, Emotion.Hopelessness),
        (["give", "up"], -2.0, Emotion.Hopelessness),
        (["giving", "up"], -2.0, Emotion.Hopelessness),
        (["cant", "go", "on"], -3.0, Emotion.Hopelessness),
        (["cant", "take", "it"], -2.6, Emotion.Overwhelm),
        (["cant", "cope"], -2.6, Emotion.Overwhelm),
        (["falling", "apart"], -2.6, Emotion.Overwhelm),
        (["left", "out"], -2.0, Emotion.Loneliness),
        (["on", "my", "own"], -1.2, Emotion.Loneliness),
        (["hate", "myself"], -3.0, Emotion.Shame),
        (["let", "everyone", "down"], -2.6, Emotion.Shame),
        (["cant", "sleep"], -1.6, Emotion.Anxiety),
        (["panic", "attack"], -2.8, Emotion.Anxiety),
        (["feel", "better"], 1.8, Emotion.Relief),
    ];

    /// <summary>Gets the entries by lower-case word.</summary>
    public static FrozenDictionary<string, Entry> Entries { get; } = Parse();

    /// <summary>Gets words that negate the sentiment word after them (within three words).</summary>
    public static FrozenSet<string> Negators { get; } = new[]
    {
        "not", "no", "never", "nobody", "nothing", "none", "nowhere", "neither", "nor", "cannot", "without",
        "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wont", "wouldnt",
        "shouldnt", "aint", "hardly", "barely", "noone",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NegatorLookup { get; } = Negators.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether a lower-case word is one of <see cref="Negators"/>.</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> for a negator.</returns>
    public static bool IsNegator(ReadOnlySpan<char> word) => NegatorLookup.Contains(word);

    /// <summary>
    /// Whether a word ends a negation's reach when met between the negator and the sentiment word ("can't
    /// <em>stop</em> crying", "couldn't <em>help</em> feeling sad"): the negator bears on that verb.
    /// </summary>
    /// <param name="word">The lower-case word.</param>
    /// <returns><see langword="true"/> for such a verb.</returns>
    public static bool IsNegationStop(ReadOnlySpan<char> word) =>
        word is "stop" or "stopped" or "stopping" or "help" or "quit" or "resist";

    /// <summary>Gets intensity modifiers: boosters (positive) and dampeners (negative), on VADER's ±0.293 scale.</summary>
    public static FrozenDictionary<string, double> Modifiers { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["very"] = 0.293, ["really"] = 0.293, ["so"] = 0.293, ["extremely"] = 0.4, ["incredibly"] = 0.4,
        ["totally"] = 0.293, ["completely"] = 0.293, ["absolutely"] = 0.35, ["utterly"] = 0.35, ["too"] = 0.2,
        ["deeply"] = 0.35, ["constantly"] = 0.25, ["always"] = 0.2,
        ["highly"] = 0.293, ["hugely"] = 0.35, ["enormously"] = 0.35, ["immensely"] = 0.35, ["exceptionally"] = 0.35,
        ["especially"] = 0.293, ["particularly"] = 0.293, ["profoundly"] = 0.35, ["truly"] = 0.293, ["thoroughly"] = 0.293,
        ["entirely"] = 0.293, ["greatly"] = 0.293, ["most"] = 0.293, ["more"] = 0.2, ["exceedingly"] = 0.35,
        ["almost"] = -0.2, ["partly"] = -0.2, ["marginally"] = -0.293, ["mildly"] = -0.293, ["moderately"] = -0.2, ["occasionally"] = -0.2, ["less"] = -0.293,
        ["slightly"] = -0.293, ["somewhat"] = -0.293, ["kinda"] = -0.293, ["sort"] = -0.2, ["kind"] = -0.2,
        ["bit"] = -0.25, ["little"] = -0.2, ["barely"] = -0.2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static FrozenDictionary<string, Entry> Parse()
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        // The general lexicon first; the distress table below overrides words in both.
        using (Stream stream = typeof(SentimentLexicon).Assembly.GetManifestResourceStream("EmpathyKit.Sentiment.general-lexicon.txt")
            ?? throw new InvalidOperationException("The general sentiment lexicon is missing from the assembly."))
        using (var reader = new StreamReader(stream))
        {
            while (reader.ReadLine() is { } raw)
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                entries[parts[0]] = new Entry(
                    double.Parse(parts[1], CultureInfo.InvariantCulture),
                    parts.Length > 2 ? Enum.Parse<Emotion>(parts[2]) : null,
                    null);
            }
        }

        foreach (string line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = line.Split(' ');
            entries[parts[0]] = new Entry(
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                parts[2] == "-" ? null : Enum.Parse<Emotion>(parts[2]),
                parts[3] == "-" ? null : Enum.Parse<Emotion>(parts[3]));
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
