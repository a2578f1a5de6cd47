using System.Collections.Frozen;

namespace EmpathyKit.Sentiment;

/// <summary>
/// The built-in rule-and-lexicon analyzer: valence with negation scope (three words), boosters and dampeners, contrast
/// ("but" halves what precedes and weights what follows by 1.5), ALL-CAPS emphasis, exclamation marks and emoji;
/// emotions with intensity, including the emotions of negated words ("nobody cares" → loneliness).
/// </summary>
/// <remarks>Pure and thread-safe; allocates one buffer per message. It never logs text.</remarks>
internal sealed class LexiconSentimentAnalyzer : ISentimentAnalyzer
{
    private const double NegationScalar = -0.74;
    private const double CapsIncrement = 0.733;
    private const double ExclamationIncrement = 0.292;
    private const double Alpha = 15;

    private static readonly FrozenDictionary<string, SentimentLexicon.Entry>.AlternateLookup<ReadOnlySpan<char>> Lexicon =
        SentimentLexicon.Entries.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Negators =
        SentimentLexicon.Negators.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> Modifiers =
        SentimentLexicon.Modifiers.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <inheritdoc />
    public ValueTask<SentimentResult> AnalyzeAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ValueTask.FromResult(Analyze(text));
    }

    /// <summary>Analyses a message synchronously.</summary>
    /// <param name="text">The message.</param>
    /// <returns>The result.</returns>
    public static SentimentResult Analyze(string text)
    {
        char[] buffer = new char[text.Length];
        var tokens = new List<Token>(Math.Min(256, (text.Length / 4) + 1));
        Tokenize(text, buffer, tokens, out bool hasLower);

        int butIndex = tokens.FindLastIndex(t => Is(buffer, t, "but") || Is(buffer, t, "however") || Is(buffer, t, "although"));
        var emotions = new double[Enum.GetValues<Emotion>().Length];
        var signals = new HashSet<string>(StringComparer.Ordinal);
        double sum = 0;

        for (int i = 0; i < tokens.Count; i++)
        {
            ReadOnlySpan<char> word = Word(buffer, tokens[i]);
            if (!TryLookup(word, out SentimentLexicon.Entry entry))
            {
                continue;
            }

            double v = entry.Valence;
            for (int j = 1; j <= 3 && i - j >= 0; j++)
            {
                if (Modifiers.TryGetValue(Word(buffer, tokens[i - j]), out double scalar))
                {
                    v += Math.Sign(v) * scalar * (1 - (0.05 * (j - 1)));
                    signals.Add(scalar > 0 ? "booster" : "dampener");
                }
            }

            if (tokens[i].AllCaps && hasLower)
            {
                v += Math.Sign(v) * CapsIncrement;
                signals.Add("caps");
            }

            bool negated = false;
            for (int j = 1; j <= 3 && i - j >= 0; j++)
            {
                if (i - j == butIndex)
                {
                    break;
                }

                if (Negators.Contains(Word(buffer, tokens[i - j])) || (j == 1 && Is(buffer, tokens[i - 1], "one") && i - 2 >= 0 && Is(buffer, tokens[i - 2], "no")))
                {
                    negated = true;
                    break;
                }
            }

            Emotion? emotion = entry.Emotion;
            if (negated)
            {
                signals.Add("negation");
                emotion = entry.NegatedEmotion;
                v = entry.NegatedEmotion is not null && v > 0 ? -(Math.Abs(v) + 1.0) : v * NegationScalar;
            }

            if (butIndex >= 0)
            {
                v *= i < butIndex ? 0.5 : 1.5;
                signals.Add("contrast");
            }

            sum += v;
            if (emotion is { } e)
            {
                emotions[(int)e] += Math.Abs(v) / 4;
                signals.Add("lexicon:" + e.ToWireName());
            }
        }

        sum += PhraseValence(buffer, tokens, emotions, signals);
        sum += EmojiValence(text, emotions, signals);

        int exclamations = Math.Min(4, text.AsSpan().Count('!'));
        if (exclamations > 0 && sum != 0)
        {
            sum += Math.Sign(sum) * exclamations * ExclamationIncrement;
            signals.Add("exclamation");
        }

        double valence = sum == 0 ? 0 : Math.Clamp(sum / Math.Sqrt((sum * sum) + Alpha), -1, 1);
        var result = new Dictionary<Emotion, double>();
        for (int k = 0; k < emotions.Length; k++)
        {
            double intensity = 1 - Math.Exp(-emotions[k] * 1.5);
            if (intensity >= 0.05)
            {
                result[(Emotion)k] = Math.Round(intensity, 3);
            }
        }

        if (result.Count == 0)
        {
            result[Emotion.Neutral] = 1.0;
        }

        return new SentimentResult(Math.Round(valence, 4), result, [.. signals.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Looks a word up, then its regular inflections when the word itself is not listed: plural and third person
    /// ("-s", "-es"), past ("-ed", "-d"), progressive ("-ing"), adverbs ("-ly", "-ily"), restoring a final "e" or "y"
    /// ("hated" → "hate", "loving" → "love", "happily" → "happy"). Irregular forms are listed in the lexicon.
    /// </summary>
    private static bool TryLookup(ReadOnlySpan<char> word, out SentimentLexicon.Entry entry)
    {
        if (Lexicon.TryGetValue(word, out entry))
        {
            return true;
        }

        if (word.Length < 5)
        {
            return false;
        }

        Span<char> stem = stackalloc char[word.Length + 1];
        return (word.EndsWith("ily") && TryStem(word[..^3], "y", stem, out entry))
            || (word.EndsWith("ly") && TryStem(word[..^2], string.Empty, stem, out entry))
            || (word.EndsWith("ing") && (TryStem(word[..^3], string.Empty, stem, out entry) || TryStem(word[..^3], "e", stem, out entry) || TryUndouble(word[..^3], stem, out entry)))
            || (word.EndsWith("ied") && TryStem(word[..^3], "y", stem, out entry))
            || (word.EndsWith("ed") && (TryStem(word[..^2], string.Empty, stem, out entry) || TryStem(word[..^1], string.Empty, stem, out entry) || TryUndouble(word[..^2], stem, out entry)))
            || (word.EndsWith("ies") && TryStem(word[..^3], "y", stem, out entry))
            || (word.EndsWith("es") && TryStem(word[..^2], string.Empty, stem, out entry))
            || (word.EndsWith('s') && !word.EndsWith("ss") && TryStem(word[..^1], string.Empty, stem, out entry));
    }

    private static bool TryStem(ReadOnlySpan<char> root, string ending, Span<char> stem, out SentimentLexicon.Entry entry)
    {
        root.CopyTo(stem);
        ending.AsSpan().CopyTo(stem[root.Length..]);
        return Lexicon.TryGetValue(stem[..(root.Length + ending.Length)], out entry);
    }

    /// <summary>"stopped" → "stop", "upsetting" → "upset": a doubled final consonant.</summary>
    private static bool TryUndouble(ReadOnlySpan<char> root, Span<char> stem, out SentimentLexicon.Entry entry)
    {
        entry = default;
        return root.Length >= 3 && root[^1] == root[^2] && TryStem(root[..^1], string.Empty, stem, out entry);
    }

    private static double PhraseValence(char[] buffer, List<Token> tokens, double[] emotions, HashSet<string> signals)
    {
        double sum = 0;
        foreach ((string[] words, double valence, Emotion emotion) in SentimentLexicon.Phrases)
        {
            for (int i = 0; i + words.Length <= tokens.Count; i++)
            {
                bool match = true;
                for (int k = 0; k < words.Length && match; k++)
                {
                    match = Is(buffer, tokens[i + k], words[k]);
                }

                if (match)
                {
                    sum += valence;
                    emotions[(int)emotion] += Math.Abs(valence) / 4;
                    signals.Add("phrase:" + emotion.ToWireName());
                }
            }
        }

        return sum;
    }

    private static double EmojiValence(string text, double[] emotions, HashSet<string> signals)
    {
        double sum = 0;
        foreach (System.Text.Rune rune in text.EnumerateRunes())
        {
            (double V, Emotion? E) pair = rune.Value switch
            {
                0x1F622 or 0x1F62D or 0x1F494 or 0x1F61E or 0x1F614 or 0x2639 or 0x1F641 or 0x1F97A => (-2.0, Emotion.Sadness),
                0x1F629 or 0x1F62B => (-2.0, Emotion.Overwhelm),
                0x1F630 or 0x1F628 or 0x1F631 or 0x1F61F => (-2.0, Emotion.Anxiety),
                0x1F621 or 0x1F620 or 0x1F92C => (-2.2, Emotion.Anger),
                0x1F642 or 0x1F60A or 0x1F600 or 0x1F601 or 0x1F603 or 0x1F604 or 0x1F970 or 0x1F60D or 0x2764 or 0x1F44D => (2.0, Emotion.Joy),
                0x1F64F => (1.6, Emotion.Gratitude),
                0x1F60C => (1.6, Emotion.Relief),
                _ => (0.0, null),
            };

            if (pair.E is { } emotion)
            {
                sum += pair.V;
                emotions[(int)emotion] += Math.Abs(pair.V) / 4;
                signals.Add("emoji");
            }
        }

        return sum;
    }

    private static void Tokenize(string text, char[] buffer, List<Token> tokens, out bool hasLower)
    {
        hasLower = false;
        int write = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int start = write;
            bool allCaps = true;
            int letters = 0;
            while (i < text.Length && (char.IsLetter(text[i]) || (text[i] is '\'' or '\u2019' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                char c = text[i];
                if (char.IsLetter(c))
                {
                    if (char.IsLower(c))
                    {
                        allCaps = false;
                        hasLower = true;
                    }

                    buffer[write++] = char.ToLowerInvariant(c);
                    letters++;
                }

                i++;
            }

            tokens.Add(new Token(start, write - start, allCaps && letters >= 2));
        }
    }

    private static ReadOnlySpan<char> Word(char[] buffer, Token token) => buffer.AsSpan(token.Start, token.Length);

    private static bool Is(char[] buffer, Token token, string word) => Word(buffer, token).SequenceEqual(word);

    private readonly record struct Token(int Start, int Length, bool AllCaps);
}
