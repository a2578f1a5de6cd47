using System.Collections.Frozen;
using System.Globalization;

namespace EmpathyKit.Sentiment;

/// <summary>
/// The learned emotion layer: for each of Ekman's six emotions, a logistic regression over the words of a message
/// (a word in the three after a negator is a different feature, "!happy") and the hand-written analyzer's own emotions
/// and valence. Its weights come from the GoEmotions <em>train</em> split (Apache-2.0), learned by
/// <c>empathykit learn emotions</c> and embedded as <c>emotion-model.txt</c>; see docs/sentiment.md for the provenance.
/// </summary>
/// <remarks>
/// The layer only adds: an emotion it rates as present (at or above <see cref="PresentIntensity"/> once calibrated)
/// raises that emotion's intensity; it never lowers what the hand-written lexicons found. Immutable and thread-safe.
/// </remarks>
internal sealed class EmotionModel
{
    /// <summary>The calibrated intensity at which an emotion counts as present (each class's decision threshold maps here).</summary>
    public const double PresentIntensity = 0.3;

    /// <summary>The feature for a message with a question mark.</summary>
    public const string QuestionFeature = "#q";

    /// <summary>The feature for a message with an exclamation mark.</summary>
    public const string ExclamationFeature = "#x";

    /// <summary>How many words after a negator are marked as negated.</summary>
    public const int NegationWindow = 3;

    private const string ResourceName = "EmpathyKit.Sentiment.emotion-model.txt";

    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Initializes a new instance of the <see cref="EmotionModel"/> class.</summary>
    /// <param name="words">The weights of each word feature, one per class in <see cref="Classes"/> order.</param>
    /// <param name="dense">The weights of each dense feature (<see cref="DenseFeatureNames"/>), one per class.</param>
    /// <param name="bias">The bias of each class.</param>
    /// <param name="thresholds">The decision threshold of each class on its probability.</param>
    public EmotionModel(IReadOnlyDictionary<string, double[]> words, double[][] dense, double[] bias, double[] thresholds)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (dense.Length != DenseFeatureNames.Count || bias.Length != Classes.Count || thresholds.Length != Classes.Count
            || dense.Any(w => w.Length != Classes.Count) || words.Values.Any(w => w.Length != Classes.Count)
            || thresholds.Any(t => !(t > 0 && t < 1)))
        {
            throw new ArgumentException("An emotion model needs one weight per class for every feature and thresholds strictly between 0 and 1.");
        }

        Words = words.ToFrozenDictionary(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        WordWeights = new double[words.Count * Classes.Count];
        foreach ((string word, double[] weights) in words.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            weights.CopyTo(WordWeights, index.Count * Classes.Count);
            index[word] = index.Count;
        }

        _lookup = index.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Dense = dense;
        Bias = bias;
        Thresholds = thresholds;
    }

    /// <summary>Gets the classes, in GoEmotions' Ekman order: anger, disgust, fear, joy, sadness, surprise.</summary>
    public static IReadOnlyList<Emotion> Classes { get; } =
        [Emotion.Anger, Emotion.Disgust, Emotion.Anxiety, Emotion.Joy, Emotion.Sadness, Emotion.Surprise];

    /// <summary>
    /// Gets the names of the dense features: the hand-written analyzer's intensity for each emotion (by
    /// <see cref="Emotion"/> value, wire names, neutral always 0), then its valence above and below zero.
    /// </summary>
    public static IReadOnlyList<string> DenseFeatureNames { get; } =
        [.. Enum.GetValues<Emotion>().Select(e => e.ToWireName()), "valence_positive", "valence_negative"];

    /// <summary>Gets the model embedded in this assembly.</summary>
    public static EmotionModel Default { get; } = Load();

    /// <summary>Gets the word features and their weights.</summary>
    public FrozenDictionary<string, double[]> Words { get; }

    /// <summary>Gets the dense features' weights.</summary>
    public double[][] Dense { get; }

    /// <summary>Gets each class's bias.</summary>
    public double[] Bias { get; }

    /// <summary>Gets each class's decision threshold on its probability.</summary>
    public double[] Thresholds { get; }

    private double[] WordWeights { get; }

    /// <summary>
    /// The dense features of a hand-written result: its intensity per emotion (neutral 0) and its valence split in two.
    /// </summary>
    /// <param name="intensities">Intensity per <see cref="Emotion"/> value.</param>
    /// <param name="valence">Valence −1..1.</param>
    /// <param name="dense">Receives <see cref="DenseFeatureNames"/>.Count values.</param>
    public static void DenseFeatures(ReadOnlySpan<double> intensities, double valence, Span<double> dense)
    {
        dense.Clear();
        for (int e = 0; e < intensities.Length; e++)
        {
            dense[e] = e == (int)Emotion.Neutral ? 0 : intensities[e];
        }

        dense[^2] = Math.Max(0, valence);
        dense[^1] = Math.Max(0, -valence);
    }

    /// <summary>The logistic function that turns a class's score into its probability (the trainer uses the same one).</summary>
    /// <param name="z">The score.</param>
    /// <returns>The probability.</returns>
    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Maps a class's probability to an intensity: 0..threshold to 0..0.3, threshold..1 to 0.3..1.</summary>
    /// <param name="classIndex">Index into <see cref="Classes"/>.</param>
    /// <param name="probability">The probability.</param>
    /// <returns>The intensity.</returns>
    public double Intensity(int classIndex, double probability)
    {
        double t = Thresholds[classIndex];
        return probability < t
            ? PresentIntensity * probability / t
            : PresentIntensity + ((1 - PresentIntensity) * (probability - t) / (1 - t));
    }

    /// <summary>Each class's probability for a message given as its feature names (the trainer's form).</summary>
    /// <param name="features">Distinct feature names.</param>
    /// <param name="dense">The dense features.</param>
    /// <param name="probabilities">Receives one probability per class.</param>
    public void Probabilities(IEnumerable<string> features, ReadOnlySpan<double> dense, Span<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(features);
        Span<double> z = stackalloc double[Classes.Count];
        Bias.CopyTo(z);
        foreach (string feature in features)
        {
            if (_lookup.TryGetValue(feature, out int index))
            {
                AddWord(index, z);
            }
        }

        Finish(dense, z, probabilities);
    }

    /// <summary>Each class's probability for a tokenised message (the analyzer's form, no allocation).</summary>
    /// <param name="buffer">The lower-cased letters of the message.</param>
    /// <param name="tokens">The tokens over <paramref name="buffer"/>.</param>
    /// <param name="question">Whether the message has a question mark.</param>
    /// <param name="exclamation">Whether it has an exclamation mark.</param>
    /// <param name="dense">The dense features.</param>
    /// <param name="probabilities">Receives one probability per class.</param>
    public void Probabilities(ReadOnlySpan<char> buffer, ReadOnlySpan<LexiconSentimentAnalyzer.Token> tokens, bool question, bool exclamation, ReadOnlySpan<double> dense, Span<double> probabilities)
    {
        Span<double> z = stackalloc double[Classes.Count];
        Bias.CopyTo(z);
        int count = Words.Count;
        Span<ulong> seen = count <= 64 * 256 ? stackalloc ulong[(count + 63) / 64] : new ulong[(count + 63) / 64];
        int longest = 1;
        foreach (LexiconSentimentAnalyzer.Token token in tokens)
        {
            longest = Math.Max(longest, token.Length + 1);
        }

        Span<char> marked = longest <= 128 ? stackalloc char[longest] : new char[longest];
        int negatedLeft = 0;
        foreach (LexiconSentimentAnalyzer.Token token in tokens)
        {
            ReadOnlySpan<char> word = buffer.Slice(token.Start, token.Length);
            bool negator = SentimentLexicon.IsNegator(word);
            scoped ReadOnlySpan<char> feature = word;
            if (!negator && negatedLeft > 0)
            {
                marked[0] = '!';
                word.CopyTo(marked[1..]);
                feature = marked[..(word.Length + 1)];
            }

            negatedLeft = negator ? NegationWindow : Math.Max(0, negatedLeft - 1);
            if (_lookup.TryGetValue(feature, out int index) && (seen[index >> 6] & (1UL << (index & 63))) == 0)
            {
                seen[index >> 6] |= 1UL << (index & 63);
                AddWord(index, z);
            }
        }

        if (question && _lookup.TryGetValue(QuestionFeature, out int q))
        {
            AddWord(q, z);
        }

        if (exclamation && _lookup.TryGetValue(ExclamationFeature, out int x))
        {
            AddWord(x, z);
        }

        Finish(dense, z, probabilities);
    }

    /// <summary>
    /// The distinct feature names of a tokenised message, as the trainer sees them: each word, a word within
    /// <see cref="NegationWindow"/> words after a negator prefixed with "!", and the punctuation features.
    /// </summary>
    /// <param name="buffer">The lower-cased letters of the message.</param>
    /// <param name="tokens">The tokens over <paramref name="buffer"/>.</param>
    /// <param name="question">Whether the message has a question mark.</param>
    /// <param name="exclamation">Whether it has an exclamation mark.</param>
    /// <returns>The feature names, each once, in order of first appearance.</returns>
    public static List<string> FeatureNames(ReadOnlySpan<char> buffer, ReadOnlySpan<LexiconSentimentAnalyzer.Token> tokens, bool question, bool exclamation)
    {
        var names = new List<string>(tokens.Length + 2);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int negatedLeft = 0;
        foreach (LexiconSentimentAnalyzer.Token token in tokens)
        {
            ReadOnlySpan<char> word = buffer.Slice(token.Start, token.Length);
            bool negator = SentimentLexicon.IsNegator(word);
            string feature = !negator && negatedLeft > 0 ? "!" + word.ToString() : word.ToString();
            negatedLeft = negator ? NegationWindow : Math.Max(0, negatedLeft - 1);
            if (seen.Add(feature))
            {
                names.Add(feature);
            }
        }

        if (question)
        {
            names.Add(QuestionFeature);
        }

        if (exclamation)
        {
            names.Add(ExclamationFeature);
        }

        return names;
    }

    /// <summary>Writes the model in the text form that <see cref="Parse"/> reads.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="header">Comment lines (provenance), written with a leading "# ".</param>
    public void Write(TextWriter writer, IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (string line in header)
        {
            writer.WriteLine("# " + line);
        }

        writer.WriteLine("classes " + string.Join(' ', Classes.Select(e => e.ToWireName())));
        writer.WriteLine("threshold " + string.Join(' ', Thresholds.Select(v => Format(v, c))));
        writer.WriteLine("bias " + string.Join(' ', Bias.Select(v => Format(v, c))));
        for (int d = 0; d < Dense.Length; d++)
        {
            writer.WriteLine("dense " + DenseFeatureNames[d] + " " + string.Join(' ', Dense[d].Select(v => Format(v, c))));
        }

        foreach ((string word, double[] weights) in Words.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            writer.WriteLine("word " + word + " " + string.Join(' ', weights.Select(v => Format(v, c))));
        }
    }

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FormatException">The text is not a well-formed model.</exception>
    public static EmotionModel Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var words = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var dense = new double[DenseFeatureNames.Count][];
        double[]? bias = null, thresholds = null;
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "classes" when parts.Skip(1).SequenceEqual(Classes.Select(e => e.ToWireName())):
                    break;
                case "threshold":
                    thresholds = Numbers(parts, 1, lineNumber);
                    break;
                case "bias":
                    bias = Numbers(parts, 1, lineNumber);
                    break;
                case "dense" when parts.Length > 1 && DenseFeatureNames.Contains(parts[1]):
                    dense[DenseFeatureNames.ToList().IndexOf(parts[1])] = Numbers(parts, 2, lineNumber);
                    break;
                case "word" when parts.Length > 1:
                    words[parts[1]] = Numbers(parts, 2, lineNumber);
                    break;
                default:
                    throw new FormatException($"Emotion model line {lineNumber}: unexpected '{parts[0]}'.");
            }
        }

        if (bias is null || thresholds is null || dense.Any(d => d is null))
        {
            throw new FormatException("The emotion model lacks its thresholds, bias or dense weights.");
        }

        try
        {
            return new EmotionModel(words, dense, bias, thresholds);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("The emotion model is malformed: " + e.Message, e);
        }
    }

    /// <summary>Three decimals, without a sign on zero.</summary>
    private static string Format(double value, CultureInfo culture)
    {
        string text = value.ToString("0.000", culture);
        return text == "-0.000" ? "0.000" : text;
    }

    private static double[] Numbers(string[] parts, int from, int lineNumber)
    {
        if (parts.Length - from != Classes.Count)
        {
            throw new FormatException($"Emotion model line {lineNumber}: {Classes.Count} numbers expected.");
        }

        var values = new double[Classes.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.TryParse(parts[from + i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new FormatException($"Emotion model line {lineNumber}: '{parts[from + i]}' is not a number.");
            }
        }

        return values;
    }

    private static EmotionModel Load()
    {
        using Stream stream = typeof(EmotionModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The emotion model is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    private void AddWord(int index, Span<double> z)
    {
        ReadOnlySpan<double> weights = WordWeights.AsSpan(index * Classes.Count, Classes.Count);
        for (int k = 0; k < z.Length; k++)
        {
            z[k] += weights[k];
        }
    }

    private void Finish(ReadOnlySpan<double> dense, Span<double> z, Span<double> probabilities)
    {
        for (int k = 0; k < z.Length; k++)
        {
            for (int d = 0; d < dense.Length; d++)
            {
                z[k] += Dense[d][k] * dense[d];
            }

            probabilities[k] = Sigmoid(z[k]);
        }
    }
}
