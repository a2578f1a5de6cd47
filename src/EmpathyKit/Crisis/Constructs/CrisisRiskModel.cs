using System.Globalization;
using System.Reflection;

namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// The fast crisis risk model: two logistic heads over hashed features (word and word-pair stems, character 4-grams
/// inside words, the constructs and rungs the rules found, and the conversation's context), one for "a crisis message"
/// (moderate or above) and one for "must escalate" (high or above). Trained by <c>empathykit learn crisis</c>; weights
/// and thresholds are embedded (<c>crisis-model.txt</c>).
/// </summary>
/// <remarks>No native dependency, no allocation per prediction beyond the feature array. Thread-safe once loaded.</remarks>
internal sealed class CrisisRiskModel
{
    /// <summary>The number of hashed feature slots (2^18).</summary>
    public const int Dimensions = 1 << 18;

    private static readonly Lazy<CrisisRiskModel?> DefaultModel = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    public CrisisRiskModel(float[] moderateWeights, float[] highWeights, float moderateBias, float highBias, double moderateThreshold, double highThreshold, IReadOnlyList<string> provenance, double veto = 0)
    {
        Veto = veto;
        ModerateWeights = moderateWeights;
        HighWeights = highWeights;
        ModerateBias = moderateBias;
        HighBias = highBias;
        ModerateThreshold = moderateThreshold;
        HighThreshold = highThreshold;
        Provenance = provenance;
    }

    /// <summary>Gets the embedded model, or <see langword="null"/> when the package was built without one.</summary>
    public static CrisisRiskModel? Default => DefaultModel.Value;

    public float[] ModerateWeights { get; }

    public float[] HighWeights { get; }

    public float ModerateBias { get; }

    public float HighBias { get; }

    /// <summary>Gets the probability at or above which the model asks for at least moderate.</summary>
    public double ModerateThreshold { get; }

    /// <summary>Gets the probability at or above which the model asks for at least high.</summary>
    public double HighThreshold { get; }

    /// <summary>
    /// Gets the probability below which the model lowers a rule's high finding to moderate (still a check-in) where
    /// the finding allows it (never imminent, never an act in progress or done, never after earlier risk); 0: never.
    /// Chosen on dev within a recall budget.
    /// </summary>
    public double Veto { get; }

    /// <summary>Gets the header lines of the model file (data, settings, figures).</summary>
    public IReadOnlyList<string> Provenance { get; }

    /// <summary>The logistic function.</summary>
    /// <param name="z">The score.</param>
    /// <returns>The probability.</returns>
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <summary>
    /// The rules' level after the veto: a lowerable high finding becomes moderate when the high head finds it very
    /// unlikely. A rule's moderate (the check-in) is never lowered: the recall-first floor stays with the rules; nor is
    /// an imminent one.
    /// </summary>
    /// <param name="level">The rules' level.</param>
    /// <param name="high">The high head's probability.</param>
    /// <param name="veto">The veto threshold (0: never lower).</param>
    /// <param name="lowerable">Whether the finding may be lowered at all (see <see cref="ConstructCrisisDetector"/>).</param>
    /// <returns>The level.</returns>
    public static RiskLevel Lowered(RiskLevel level, double high, double veto, bool lowerable) =>
        lowerable && level == RiskLevel.High && high < veto ? RiskLevel.Moderate : level;

    /// <summary>Scores a feature set.</summary>
    /// <param name="features">Hashed feature indices (a set: <see cref="CrisisFeatures"/> gives each once; a duplicate here would count twice).</param>
    /// <returns>The probabilities of moderate-or-above and high-or-above.</returns>
    public (double Moderate, double High) Predict(ReadOnlySpan<int> features)
    {
        double m = ModerateBias;
        double h = HighBias;
        foreach (int f in features)
        {
            m += ModerateWeights[f];
            h += HighWeights[f];
        }

        return (Sigmoid(m), Sigmoid(h));
    }

    /// <summary>Writes the model in its text format: header comments, thresholds, biases, then one line per non-zero slot.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="header">Header lines (without the leading '#').</param>
    public void Write(TextWriter writer, IEnumerable<string> header)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        foreach (string line in header)
        {
            writer.Write("# ");
            writer.Write(line);
            writer.Write('\n');
        }

        writer.Write(string.Create(c, $"thresholds {ModerateThreshold:R} {HighThreshold:R}\n"));
        if (Veto > 0)
        {
            writer.Write(string.Create(c, $"veto {Veto:R} 0\n"));
        }

        writer.Write(string.Create(c, $"bias {ModerateBias:R} {HighBias:R}\n"));
        for (int i = 0; i < Dimensions; i++)
        {
            float m = ModerateWeights[i];
            float h = HighWeights[i];
            if (m != 0 || h != 0)
            {
                writer.Write(string.Create(c, $"{i} {m:0.#####} {h:0.#####}\n"));
            }
        }
    }

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The model, or <see langword="null"/> when the text holds no model.</returns>
    public static CrisisRiskModel? Read(TextReader reader)
    {
        var moderate = new float[Dimensions];
        var high = new float[Dimensions];
        var provenance = new List<string>();
        double tm = double.NaN, th = double.NaN, veto = 0;
        float bm = 0, bh = 0;
        string? line;
        CultureInfo c = CultureInfo.InvariantCulture;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith('#'))
            {
                provenance.Add(line.TrimStart('#', ' '));
                continue;
            }

            string[] parts = line.Split(' ');
            if (parts.Length != 3)
            {
                continue;
            }

            switch (parts[0])
            {
                case "thresholds":
                    tm = double.Parse(parts[1], c);
                    th = double.Parse(parts[2], c);
                    break;
                case "veto":
                    veto = double.Parse(parts[1], c);
                    break;
                case "bias":
                    bm = float.Parse(parts[1], c);
                    bh = float.Parse(parts[2], c);
                    break;
                default:
                    int index = int.Parse(parts[0], c);
                    moderate[index] = float.Parse(parts[1], c);
                    high[index] = float.Parse(parts[2], c);
                    break;
            }
        }

        return double.IsNaN(tm) ? null : new CrisisRiskModel(moderate, high, bm, bh, tm, th, provenance, veto);
    }

    private static CrisisRiskModel? LoadDefault()
    {
        using Stream? stream = typeof(CrisisRiskModel).Assembly.GetManifestResourceStream("EmpathyKit.Crisis.crisis-model.txt");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return Read(reader);
    }
}
