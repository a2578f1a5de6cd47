using System.Globalization;

namespace EmpathyKit.Semantic;

/// <summary>
/// The semantic crisis model: two logistic heads, "a crisis message" (moderate or above) and "must escalate" (high or
/// above), over the sentence embedding of the last turn concatenated with a context vector that summarises the earlier
/// user turns (their embeddings' element-wise mean or maximum, see <see cref="Context"/>; zeros when there are none).
/// Trained by <c>empathykit learn crisis-semantic</c>; weights and thresholds are embedded (<c>semantic-crisis-model.txt</c>).
/// </summary>
/// <remarks>Immutable and thread-safe once loaded; a prediction is one dot product per head.</remarks>
internal sealed class SemanticCrisisModel
{
    /// <summary>The length of a feature vector: the last turn's embedding, then the context vector.</summary>
    public const int Dimensions = 2 * MiniLmEncoder.Dimensions;

    /// <summary>How many earlier turns (the most recent) the context vector summarises.</summary>
    public const int ContextTurns = 10;

    private static readonly Lazy<SemanticCrisisModel> DefaultModel = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    public SemanticCrisisModel(SemanticContext context, float[] moderateWeights, float[] highWeights, float moderateBias, float highBias, double moderateThreshold, double highThreshold, IReadOnlyList<string> provenance)
    {
        if (moderateWeights.Length != Dimensions || highWeights.Length != Dimensions)
        {
            throw new ArgumentException($"A head has {Dimensions} weights.", nameof(moderateWeights));
        }

        Context = context;
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
        double m = ModerateBias;
        double h = HighBias;
        for (int i = 0; i < Dimensions; i++)
        {
            m += (double)ModerateWeights[i] * features[i];
            h += (double)HighWeights[i] * features[i];
        }

        return (Sigmoid(m), Sigmoid(h));
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

        writer.Write(string.Create(c, $"context {(Context == SemanticContext.Max ? "max" : "mean")}\n"));
        writer.Write(string.Create(c, $"thresholds {ModerateThreshold:R} {HighThreshold:R}\n"));
        writer.Write(string.Create(c, $"bias {ModerateBias:R} {HighBias:R}\n"));
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
        double tm = double.NaN, th = double.NaN;
        float? bm = null, bh = null;
        float[]? moderate = null, high = null;
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
                case "thresholds" when parts.Length == 3:
                    tm = double.Parse(parts[1], c);
                    th = double.Parse(parts[2], c);
                    break;
                case "bias" when parts.Length == 3:
                    bm = float.Parse(parts[1], c);
                    bh = float.Parse(parts[2], c);
                    break;
                case "moderate":
                    moderate = ParseHead(parts);
                    break;
                case "high":
                    high = ParseHead(parts);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected line '{parts[0]} …' in the semantic crisis model.");
            }
        }

        if (context is null || double.IsNaN(tm) || double.IsNaN(th) || bm is null || bh is null || moderate is null || high is null)
        {
            throw new InvalidDataException("The semantic crisis model is incomplete (context, thresholds, bias and both heads are required).");
        }

        return new SemanticCrisisModel(context.Value, moderate, high, bm.Value, bh.Value, tm, th, provenance);
    }

    private static void WriteHead(TextWriter writer, string name, float[] weights)
    {
        writer.Write(name);
        foreach (float w in weights)
        {
            writer.Write(' ');
            writer.Write(w.ToString("R", CultureInfo.InvariantCulture));
        }

        writer.Write('\n');
    }

    private static float[] ParseHead(string[] parts)
    {
        if (parts.Length != Dimensions + 1)
        {
            throw new InvalidDataException($"The semantic crisis model's '{parts[0]}' head has {parts.Length - 1} weights, not {Dimensions}.");
        }

        var weights = new float[Dimensions];
        for (int i = 0; i < Dimensions; i++)
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
