using System.Globalization;

namespace EmpathyKit.Semantic;

/// <summary>
/// The semantic crisis model: two heads, "a crisis message" (moderate or above) and "must escalate" (high or above),
/// over the sentence embedding of the last turn concatenated with a context vector that summarises the earlier user
/// turns (their embeddings' element-wise mean or maximum, see <see cref="Context"/>; zeros when there are none). The
/// heads are logistic, either straight over the features or over a shared hidden layer of rectified units
/// (<see cref="Hidden"/>), which lets them learn combinations (a loss with a question about heights) that one dot
/// product cannot. Trained by <c>empathykit learn crisis-semantic</c>; weights and thresholds are embedded
/// (<c>semantic-crisis-model.txt</c>).
/// </summary>
/// <remarks>Immutable and thread-safe once loaded; a prediction is one dot product per head, plus one per hidden unit.</remarks>
internal sealed class SemanticCrisisModel
{
    /// <summary>The length of a feature vector: the last turn's embedding, then the context vector.</summary>
    public const int Dimensions = 2 * MiniLmEncoder.Dimensions;

    /// <summary>How many earlier turns (the most recent) the context vector summarises.</summary>
    public const int ContextTurns = 10;

    private static readonly Lazy<SemanticCrisisModel> DefaultModel = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The most hidden units a model may have.</summary>
    public const int MaxHidden = 512;

    /// <summary>Creates a model whose heads are logistic straight over the features.</summary>
    public SemanticCrisisModel(SemanticContext context, float[] moderateWeights, float[] highWeights, float moderateBias, float highBias, double moderateThreshold, double highThreshold, IReadOnlyList<string> provenance)
        : this(context, [], [], moderateWeights, highWeights, moderateBias, highBias, moderateThreshold, highThreshold, provenance)
    {
    }

    /// <summary>Creates a model; with hidden units, <paramref name="hiddenWeights"/> holds one row of <see cref="Dimensions"/> weights per unit and the heads have one weight per unit.</summary>
    public SemanticCrisisModel(SemanticContext context, float[] hiddenWeights, float[] hiddenBias, float[] moderateWeights, float[] highWeights, float moderateBias, float highBias, double moderateThreshold, double highThreshold, IReadOnlyList<string> provenance)
    {
        int hidden = hiddenBias.Length;
        if (hidden > MaxHidden || hiddenWeights.Length != hidden * Dimensions)
        {
            throw new ArgumentException($"A hidden layer has at most {MaxHidden} units of {Dimensions} weights each.", nameof(hiddenWeights));
        }

        int inputs = hidden == 0 ? Dimensions : hidden;
        if (moderateWeights.Length != inputs || highWeights.Length != inputs)
        {
            throw new ArgumentException($"A head has {inputs} weights.", nameof(moderateWeights));
        }

        Context = context;
        HiddenWeights = hiddenWeights;
        HiddenBias = hiddenBias;
        ModerateWeights = moderateWeights;
        HighWeights = highWeights;
        ModerateBias = moderateBias;
        HighBias = highBias;
        ModerateThreshold = moderateThreshold;
        HighThreshold = highThreshold;
        Provenance = provenance;
    }

    /// <summary>Gets the embedded model.</summary>
    /// <exception cref="InvalidDataException">The package was built without a valid model file.</exception>
    public static SemanticCrisisModel Default => DefaultModel.Value;

    /// <summary>Gets how the earlier turns are summarised.</summary>
    public SemanticContext Context { get; }

    /// <summary>
    /// Gets how the model's opinion joins the built-in fast model's, or <see langword="null"/> when it only raises the
    /// built-in detector's level after it: with a blend, each head's probability is the logistic of
    /// <c>w · logit(fast) + (1 - w) · logit(semantic)</c>, applied over the rules' level in place of the fast model's
    /// own opinion, with the blend's thresholds.
    /// </summary>
    public SemanticBlend? Blend { get; init; }

    /// <summary>
    /// Gets the digest of the encoder weights the heads were trained over (<see cref="Encoder.EncoderPatch.Digest"/>, or
    /// <see cref="Encoder.EncoderPatch.NoneDigest"/> for the packaged model as it is): the model is only valid with an
    /// encoder of the same digest.
    /// </summary>
    public string Encoder { get; init; } = EmpathyKit.Semantic.Encoder.EncoderPatch.NoneDigest;

    /// <summary>Gets the number of hidden units (0: the heads read the features directly).</summary>
    public int Hidden => HiddenBias.Length;

    /// <summary>Gets the hidden layer's weights, one row of <see cref="Dimensions"/> per unit.</summary>
    public float[] HiddenWeights { get; }

    /// <summary>Gets the hidden layer's biases.</summary>
    public float[] HiddenBias { get; }

    public float[] ModerateWeights { get; }

    public float[] HighWeights { get; }

    public float ModerateBias { get; }

    public float HighBias { get; }

    /// <summary>Gets the probability at or above which the model asks for at least moderate (above 1: never).</summary>
    public double ModerateThreshold { get; }

    /// <summary>Gets the probability at or above which the model asks for at least high (above 1: never).</summary>
    public double HighThreshold { get; }

    /// <summary>Gets the header lines of the model file (data, settings, figures).</summary>
    public IReadOnlyList<string> Provenance { get; }

    /// <summary>The logistic function.</summary>
    /// <param name="z">The score.</param>
    /// <returns>The probability.</returns>
    public static double Sigmoid(double z) => EmpathyKit.Crisis.Constructs.CrisisRiskModel.Sigmoid(z);

    /// <summary>Builds the feature vector of a turn in its conversation (one implementation for training and run time).</summary>
    /// <param name="context">How the earlier turns are summarised.</param>
    /// <param name="last">The last turn's embedding.</param>
    /// <param name="earlier">The earlier turns' embeddings, most recent first; only the first <see cref="ContextTurns"/> are read.</param>
    /// <returns>The <see cref="Dimensions"/> features.</returns>
    public static float[] Features(SemanticContext context, ReadOnlySpan<float> last, IReadOnlyList<ReadOnlyMemory<float>> earlier)
    {
        var features = new float[Dimensions];
        last.CopyTo(features);
        Span<float> summary = features.AsSpan(MiniLmEncoder.Dimensions);
        int count = Math.Min(ContextTurns, earlier.Count);
        if (count == 0)
        {
            return features;
        }

        if (context == SemanticContext.Max)
        {
            summary.Fill(float.NegativeInfinity);
        }

        for (int d = 0; d < count; d++)
        {
            ReadOnlySpan<float> turn = earlier[d].Span;
            for (int k = 0; k < summary.Length; k++)
            {
                summary[k] = context == SemanticContext.Max ? Math.Max(summary[k], turn[k]) : summary[k] + turn[k];
            }
        }

        if (context == SemanticContext.Mean)
        {
            for (int k = 0; k < summary.Length; k++)
            {
                summary[k] /= count;
            }
        }

        return features;
    }

    /// <summary>Scores a feature vector.</summary>
    /// <param name="features">The features (see <see cref="Features"/>).</param>
    /// <returns>The probabilities of moderate-or-above and high-or-above.</returns>
    public (double Moderate, double High) Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != Dimensions)
        {
            throw new ArgumentException($"A feature vector has {Dimensions} values.", nameof(features));
        }

        int hidden = Hidden;
        Span<float> units = hidden == 0 ? [] : stackalloc float[hidden];
        for (int j = 0; j < hidden; j++)
        {
            units[j] = Math.Max(0f, HiddenBias[j] + Dot(HiddenWeights.AsSpan(j * Dimensions, Dimensions), features));
        }

        ReadOnlySpan<float> input = hidden == 0 ? features : units;
        double m = ModerateBias + Dot(ModerateWeights, input);
        double h = HighBias + Dot(HighWeights, input);
        return (Sigmoid(m), Sigmoid(h));
    }

    /// <summary>A dot product summed in a fixed order (four running sums), so training and prediction agree bit for bit on every machine.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, as long as the first.</param>
    /// <returns>The dot product.</returns>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }

        for (; i < a.Length; i++)
        {
            s0 += a[i] * b[i];
        }

        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Writes the model in its text format: header comments, context, thresholds, biases, then one line per head.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="header">Header lines (without the leading '#').</param>
    public void Write(TextWriter writer, IEnumerable<string> header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (string line in header)
        {
            writer.Write("# ");
            writer.Write(line);
            writer.Write('\n');
        }

        writer.Write(string.Create(c, $"encoder {Encoder}\n"));
        writer.Write(string.Create(c, $"context {(Context == SemanticContext.Max ? "max" : "mean")}\n"));
        writer.Write(string.Create(c, $"thresholds {ModerateThreshold:R} {HighThreshold:R}\n"));
        if (Blend is { } blend)
        {
            writer.Write(blend.Veto > 0
                ? string.Create(c, $"blend {blend.FastWeight:R} {blend.ModerateThreshold:R} {blend.HighThreshold:R} {blend.Veto:R}\n")
                : string.Create(c, $"blend {blend.FastWeight:R} {blend.ModerateThreshold:R} {blend.HighThreshold:R}\n"));
        }

        writer.Write(string.Create(c, $"bias {ModerateBias:R} {HighBias:R}\n"));
        for (int j = 0; j < Hidden; j++)
        {
            WriteHead(writer, string.Create(c, $"unit {HiddenBias[j]:R}"), HiddenWeights.AsSpan(j * Dimensions, Dimensions));
        }

        WriteHead(writer, "moderate", ModerateWeights);
        WriteHead(writer, "high", HighWeights);
    }

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The text is not a complete model.</exception>
    public static SemanticCrisisModel Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var provenance = new List<string>();
        SemanticContext? context = null;
        SemanticBlend? blend = null;
        string encoder = EmpathyKit.Semantic.Encoder.EncoderPatch.NoneDigest;
        double tm = double.NaN, th = double.NaN;
        float? bm = null, bh = null;
        float[]? moderate = null, high = null;
        var unitWeights = new List<float>();
        var unitBias = new List<float>();
        CultureInfo c = CultureInfo.InvariantCulture;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith('#'))
            {
                provenance.Add(line.TrimStart('#', ' '));
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            switch (parts[0])
            {
                case "context" when parts.Length == 2:
                    context = parts[1] switch
                    {
                        "mean" => SemanticContext.Mean,
                        "max" => SemanticContext.Max,
                        _ => throw new InvalidDataException($"Unknown context '{parts[1]}' in the semantic crisis model."),
                    };
                    break;
                case "encoder" when parts.Length == 2:
                    encoder = parts[1];
                    break;
                case "blend" when parts.Length is 4 or 5:
                    blend = new SemanticBlend(double.Parse(parts[1], c), double.Parse(parts[2], c), double.Parse(parts[3], c), parts.Length == 5 ? double.Parse(parts[4], c) : 0);
                    if (!(blend.FastWeight is >= 0 and <= 1))
                    {
                        throw new InvalidDataException("The semantic crisis model's blend weight is outside 0 to 1.");
                    }

                    if (!(blend.Veto is >= 0 and < 1))
                    {
                        throw new InvalidDataException("The semantic crisis model's veto is outside 0 to 1.");
                    }

                    break;
                case "thresholds" when parts.Length == 3:
                    tm = double.Parse(parts[1], c);
                    th = double.Parse(parts[2], c);
                    break;
                case "bias" when parts.Length == 3:
                    bm = float.Parse(parts[1], c);
                    bh = float.Parse(parts[2], c);
                    break;
                case "unit" when parts.Length == Dimensions + 2 && unitBias.Count < MaxHidden && moderate is null:
                    unitBias.Add(float.Parse(parts[1], c));
                    unitWeights.AddRange(ParseHead(parts.AsSpan(1), Dimensions));
                    break;
                case "moderate":
                    moderate = ParseHead(parts, unitBias.Count == 0 ? Dimensions : unitBias.Count);
                    break;
                case "high":
                    high = ParseHead(parts, unitBias.Count == 0 ? Dimensions : unitBias.Count);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected line '{parts[0]} …' in the semantic crisis model.");
            }
        }

        if (context is null || double.IsNaN(tm) || double.IsNaN(th) || bm is null || bh is null || moderate is null || high is null)
        {
            throw new InvalidDataException("The semantic crisis model is incomplete (context, thresholds, bias and both heads are required).");
        }

        return new SemanticCrisisModel(context.Value, [.. unitWeights], [.. unitBias], moderate, high, bm.Value, bh.Value, tm, th, provenance) { Blend = blend, Encoder = encoder };
    }

    private static void WriteHead(TextWriter writer, string name, ReadOnlySpan<float> weights)
    {
        writer.Write(name);
        foreach (float w in weights)
        {
            writer.Write(' ');
            writer.Write(w.ToString("R", CultureInfo.InvariantCulture));
        }

        writer.Write('\n');
    }

    private static float[] ParseHead(ReadOnlySpan<string> parts, int count)
    {
        if (parts.Length != count + 1)
        {
            throw new InvalidDataException($"The semantic crisis model's '{parts[0]}' line has {parts.Length - 1} weights, not {count}.");
        }

        var weights = new float[count];
        for (int i = 0; i < count; i++)
        {
            weights[i] = float.Parse(parts[i + 1], CultureInfo.InvariantCulture);
        }

        return weights;
    }

    private static SemanticCrisisModel LoadDefault()
    {
        using Stream stream = typeof(SemanticCrisisModel).Assembly.GetManifestResourceStream("EmpathyKit.Semantic.semantic-crisis-model.txt")
            ?? throw new InvalidDataException("The semantic crisis model is not embedded in EmpathyKit.Semantic.");
        using var reader = new StreamReader(stream);
        return Read(reader);
    }
}
