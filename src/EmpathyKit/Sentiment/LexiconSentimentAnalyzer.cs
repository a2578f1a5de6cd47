using System.Collections.Frozen;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// A negated negative word turns only mildly positive ("not bad" is weaker than "good"; Kiritchenko and Mohammad,
    /// 2016), while a negated positive one turns clearly negative.
    /// </summary>
    private const double NegatedNegativeScalar = -0.4;
    private const double CapsIncrement = 0.733;
    private const double ExclamationIncrement = 0.292;
    private const double Alpha = 15;

    private static readonly int EmotionCount = Enum.GetValues<Emotion>().Length;

    // Every signal a result can carry, in ordinal order; a message's signals are a bit set over this list, so matching
    // allocates nothing and the output needs no sorting.
    private static readonly string[] SignalNames =
    [
        .. new[] { "booster", "dampener", "caps", "negation", "contrast", "exclamation", "emoji" }
            .Concat(Enum.GetValues<Emotion>().SelectMany(e => new[] { "lexicon:", "phrase:", "model:" }.Select(kind => kind + e.ToWireName())))
            .Order(StringComparer.Ordinal),
    ];

    private static readonly ulong Booster = Bit("booster"), Dampener = Bit("dampener"), Caps = Bit("caps"), Negation = Bit("negation"),
        Contrast = Bit("contrast"), Exclamation = Bit("exclamation"), Emoji = Bit("emoji");

    private static readonly ulong[] LexiconSignals = [.. Enum.GetValues<Emotion>().Select(e => Bit("lexicon:" + e.ToWireName()))];
    private static readonly ulong[] PhraseSignals = [.. Enum.GetValues<Emotion>().Select(e => Bit("phrase:" + e.ToWireName()))];
    private static readonly ulong[] ModelSignals = [.. Enum.GetValues<Emotion>().Select(e => Bit("model:" + e.ToWireName()))];

    private static readonly FrozenDictionary<string, SentimentLexicon.Entry>.AlternateLookup<ReadOnlySpan<char>> Lexicon =
        SentimentLexicon.Entries.GetAlternateLookup<ReadOnlySpan<char>>();

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
    public static SentimentResult Analyze(string text) => Analyze(text, EmotionModel.Default, null);

    /// <summary>Analyses a message with a given learned layer, or with the hand-written rules alone.</summary>
    /// <param name="text">The message.</param>
    /// <param name="model">The learned emotion layer, or <see langword="null"/> for the hand-written rules alone.</param>
    /// <returns>The result.</returns>
    internal static SentimentResult Analyze(string text, EmotionModel? model) => Analyze(text, model, null);

    /// <summary>
    /// What the learned layer sees of a message (its trainer uses this): the feature names and the dense features of the
    /// hand-written result.
    /// </summary>
    /// <param name="text">The message.</param>
    /// <returns>The features.</returns>
    internal static (List<string> Features, double[] Dense) ModelFeatures(string text)
    {
        var capture = new FeatureCapture();
        Analyze(text, null, capture);
        return (capture.Features, capture.Dense);
    }

    private static SentimentResult Analyze(string text, EmotionModel? model, FeatureCapture? capture)
    {
        ArgumentNullException.ThrowIfNull(text);
        char[] buffer = new char[text.Length];
        var tokens = new List<Token>(Math.Min(256, (text.Length / 4) + 1));
        Tokenize(text, buffer, tokens, out bool hasLower);

        int butIndex = tokens.FindLastIndex(t => Is(buffer, t, "but") || Is(buffer, t, "however") || Is(buffer, t, "although"));
        var emotions = new double[EmotionCount];
        ulong signals = 0;
        double sum = 0;

        for (int i = 0; i < tokens.Count; i++)
        {
            ReadOnlySpan<char> word = Word(buffer, tokens[i]);
            if (!TryLookup(word, out SentimentLexicon.Entry entry))
            {
                continue;
            }

            double v = entry.Valence;
            for (int j = 1; j <= 3 && i - j >= 0 && !tokens[i - j + 1].ClauseStart; j++)
            {
                if (Modifiers.TryGetValue(Word(buffer, tokens[i - j]), out double scalar))
                {
                    v += Math.Sign(v) * scalar * (1 - (0.05 * (j - 1)));
                    signals |= scalar > 0 ? Booster : Dampener;
                }
            }

            if (tokens[i].AllCaps && hasLower)
            {
                v += Math.Sign(v) * CapsIncrement;
                signals |= Caps;
            }

            // A negator in the three words before, within the same clause ("Off limits or not, opening fire ... was
            // inexcusable" is not negated).
            bool negated = false;
            for (int j = 1; j <= 3 && i - j >= 0 && !tokens[i - j + 1].ClauseStart; j++)
            {
                if (i - j == butIndex || SentimentLexicon.IsNegationStop(Word(buffer, tokens[i - j])))
                {
                    // "can't stop crying", "couldn't help feeling sad": the negator bears on the verb, not the feeling.
                    break;
                }

                if (IsNegating(buffer, tokens, i - j) || (j == 1 && Is(buffer, tokens[i - 1], "one") && i - 2 >= 0 && Is(buffer, tokens[i - 2], "no")))
                {
                    negated = true;
                    break;
                }
            }

            Emotion? emotion = entry.Emotion;
            if (negated)
            {
                signals |= Negation;
                emotion = entry.NegatedEmotion;
                v = entry.NegatedEmotion is not null && v > 0 ? -(Math.Abs(v) + 1.0) : v > 0 ? v * NegationScalar : v * NegatedNegativeScalar;
            }

            if (butIndex >= 0)
            {
                v *= i < butIndex ? 0.5 : 1.5;
                signals |= Contrast;
            }

            sum += v;
            if (emotion is { } e)
            {
                emotions[(int)e] += Math.Abs(v) / 4;
                signals |= LexiconSignals[(int)e];
            }
        }

        sum += PhraseValence(buffer, tokens, emotions, ref signals);
        sum += EmojiValence(text, emotions, ref signals);

        int exclamations = Math.Min(4, text.AsSpan().Count('!'));
        if (exclamations > 0 && sum != 0)
        {
            sum += Math.Sign(sum) * exclamations * ExclamationIncrement;
            signals |= Exclamation;
        }

        double valence = Math.Round(sum == 0 ? 0 : Math.Clamp(sum / Math.Sqrt((sum * sum) + Alpha), -1, 1), 4);
        for (int k = 0; k < emotions.Length; k++)
        {
            double intensity = 1 - Math.Exp(-emotions[k] * 1.5);
            emotions[k] = intensity >= 0.05 ? Math.Round(intensity, 3) : 0;
        }

        if (model is not null || capture is not null)
        {
            bool question = text.Contains('?', StringComparison.Ordinal);
            Span<double> dense = stackalloc double[EmotionModel.DenseFeatureNames.Count];
            EmotionModel.DenseFeatures(emotions, valence, dense);
            if (capture is not null)
            {
                capture.Features = EmotionModel.FeatureNames(buffer, CollectionsMarshal.AsSpan(tokens), question, exclamations > 0);
                capture.Dense = dense.ToArray();
            }

            if (model is not null)
            {
                ApplyModel(model, buffer, tokens, question, exclamations > 0, dense, emotions, ref signals);
            }
        }

        var result = new Dictionary<Emotion, double>();
        for (int k = 0; k < emotions.Length; k++)
        {
            if (emotions[k] > 0)
            {
                result[(Emotion)k] = emotions[k];
            }
        }

        if (result.Count == 0)
        {
            result[Emotion.Neutral] = 1.0;
        }

        return new SentimentResult(valence, result, Names(signals));
    }

    /// <summary>
    /// Raises each emotion the learned layer rates as present to its calibrated intensity. It never lowers an emotion,
    /// and never outranks the strongest emotion the hand-written lexicons found present (0.3 or more; they are precise
    /// about distress, the learned layer is broad): "I love my kids but I can't go on" stays hopelessness first.
    /// </summary>
    private static void ApplyModel(EmotionModel model, char[] buffer, List<Token> tokens, bool question, bool exclamation, ReadOnlySpan<double> dense, double[] emotions, ref ulong signals)
    {
        Span<double> probabilities = stackalloc double[EmotionModel.Classes.Count];
        model.Probabilities(buffer, CollectionsMarshal.AsSpan(tokens), question, exclamation, dense, probabilities);
        double strongest = emotions.Max();
        double ceiling = strongest > 0 ? Math.Max(EmotionModel.PresentIntensity, strongest - 0.001) : 1;
        for (int k = 0; k < probabilities.Length; k++)
        {
            double intensity = Math.Min(ceiling, Math.Round(model.Intensity(k, probabilities[k]), 3));
            int e = (int)EmotionModel.Classes[k];
            if (intensity >= EmotionModel.PresentIntensity && intensity > emotions[e])
            {
                emotions[e] = intensity;
                signals |= ModelSignals[e];
            }
        }
    }

    /// <summary>
    /// Looks a word up, then its regular inflections when the word itself is not listed, then its derivations (see
    /// below). Inflections: plural and third person
    /// ("-s", "-es"), past ("-ed", "-d"), progressive ("-ing"), adverbs ("-ly", "-ily"), restoring a final "e" or "y"
    /// ("hated" → "hate", "loving" → "love", "happily" → "happy"). Irregular forms are listed in the lexicon.
    /// </summary>
    private static bool TryLookup(ReadOnlySpan<char> word, out SentimentLexicon.Entry entry)
    {
        if (TryInflected(word, out entry))
        {
            return true;
        }

        // Derivations of a listed word: "-ness" keeps its sense ("happiness", "bitterness"); "un-" and "-less" turn it
        // round at 0.8 of its strength ("unsupported", "unafraid", "restless", "fearless"), with no emotion of its own.
        if (word.Length >= 7 && word.EndsWith("ness"))
        {
            ReadOnlySpan<char> stem = word[..^4];
            Span<char> restored = stackalloc char[stem.Length];
            stem.CopyTo(restored);
            if (stem[^1] == 'i')
            {
                restored[^1] = 'y';
            }

            if (TryInflected(restored, out entry))
            {
                return true;
            }
        }

        bool prefixed = word.Length >= 6 && word.StartsWith("un");
        bool suffixed = word.Length >= 8 && word.EndsWith("less");
        if ((prefixed && TryInflected(word[2..], out entry)) || (suffixed && TryInflected(word[..^4], out entry)))
        {
            entry = new SentimentLexicon.Entry(-0.8 * entry.Valence, null, null);
            return true;
        }

        entry = default;
        return false;
    }

    private static bool TryInflected(ReadOnlySpan<char> word, out SentimentLexicon.Entry entry)
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

    private static double PhraseValence(char[] buffer, List<Token> tokens, double[] emotions, ref ulong signals)
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
                    signals |= PhraseSignals[(int)emotion];
                }
            }
        }

        return sum;
    }

    private static double EmojiValence(string text, double[] emotions, ref ulong signals)
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
                signals |= Emoji;
            }
        }

        return sum;
    }

    private static void Tokenize(string text, char[] buffer, List<Token> tokens, out bool hasLower)
    {
        hasLower = false;
        int write = 0;
        int i = 0;
        bool clauseStart = true;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                clauseStart |= text[i] is ',' or ';' or ':' or '.' or '!' or '?' or '(' or ')' or '[' or ']' or '"' or '\u201C' or '\u201D' or '\u2013' or '\u2014';
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

            tokens.Add(new Token(start, write - start, allCaps && letters >= 2, clauseStart));
            clauseStart = false;
        }
    }

    /// <summary>
    /// Whether the token at <paramref name="k"/> negates what follows: a negator, except in "if not" (which means "or
    /// even": "if not injury or death") and "not only" or "not just" (which add: "not only cheap but good").
    /// </summary>
    private static bool IsNegating(char[] buffer, List<Token> tokens, int k)
    {
        if (!SentimentLexicon.IsNegator(Word(buffer, tokens[k])))
        {
            return false;
        }

        bool ifNot = k > 0 && Is(buffer, tokens[k], "not") && Is(buffer, tokens[k - 1], "if");
        bool notOnly = k + 1 < tokens.Count && Is(buffer, tokens[k], "not") && (Is(buffer, tokens[k + 1], "only") || Is(buffer, tokens[k + 1], "just"));
        return !ifNot && !notOnly;
    }

    private static ulong Bit(string name) => 1UL << Array.IndexOf(SignalNames, name);

    private static string[] Names(ulong signals)
    {
        var names = new string[System.Numerics.BitOperations.PopCount(signals)];
        for (int bit = 0, n = 0; n < names.Length; bit++)
        {
            if ((signals & (1UL << bit)) != 0)
            {
                names[n++] = SignalNames[bit];
            }
        }

        return names;
    }

    private static ReadOnlySpan<char> Word(char[] buffer, Token token) => buffer.AsSpan(token.Start, token.Length);

    private static bool Is(char[] buffer, Token token, string word) => Word(buffer, token).SequenceEqual(word);

    /// <summary>A word of the message: where its lower-cased letters are in the buffer, and whether it was in capitals.</summary>
    /// <param name="Start">Start in the buffer.</param>
    /// <param name="Length">Length in the buffer.</param>
    /// <param name="AllCaps">Whether the word was written in capitals (two letters or more).</param>
    /// <param name="ClauseStart">Whether punctuation that ends a clause (, ; : . ! ? brackets, quotes, dashes) or the start
    /// of the text comes before the word: negation and boosters do not reach across it.</param>
    internal readonly record struct Token(int Start, int Length, bool AllCaps, bool ClauseStart);

    private sealed class FeatureCapture
    {
        public List<string> Features { get; set; } = [];

        public double[] Dense { get; set; } = [];
    }
}
