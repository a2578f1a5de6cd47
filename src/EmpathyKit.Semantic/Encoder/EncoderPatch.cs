using System.Security.Cryptography;
using System.Text;

namespace EmpathyKit.Semantic.Encoder;

/// <summary>
/// Weights that replace some of all-MiniLM-L6-v2's (the top layer, fine-tuned by <c>empathykit learn crisis-semantic</c>),
/// written over the packaged model's bytes before the ONNX Runtime session is created: the graph, its size and its speed
/// are unchanged.
/// </summary>
/// <remarks>
/// <para>
/// File format (little-endian): the 8 ASCII bytes <c>EKENC001</c>; the number of tensors (int32); per tensor its name
/// (a length-prefixed UTF-8 string, as <see cref="BinaryWriter"/> writes one), its number of values (int32) and the
/// values as IEEE half-precision floats. A name is either an initializer's name in the ONNX file or the
/// "….weight" name of a matrix whose bias is named "….bias" (see <see cref="OnnxGraph.NamedWeights"/>).
/// </para>
/// <para>
/// Limits: at most <see cref="MaxTensors"/> tensors of at most <see cref="MaxValues"/> values each; a file that breaks
/// them, or names a weight the model lacks, or gives a weight a different size, is refused with
/// <see cref="InvalidDataException"/>.
/// </para>
/// </remarks>
internal sealed class EncoderPatch
{
    /// <summary>The most tensors a patch may hold.</summary>
    public const int MaxTensors = 64;

    /// <summary>The most values a tensor may hold.</summary>
    public const int MaxValues = 1 << 24;

    private static readonly byte[] Magic = "EKENC001"u8.ToArray();

    /// <summary>Creates a patch.</summary>
    /// <param name="tensors">The replacement weights by name.</param>
    public EncoderPatch(IReadOnlyDictionary<string, float[]> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count > MaxTensors || tensors.Values.Any(t => t.Length > MaxValues))
        {
            throw new ArgumentException($"An encoder patch holds at most {MaxTensors} tensors of at most {MaxValues} values.", nameof(tensors));
        }

        // Stored as half-precision: round now, so what is applied is what was written.
        Tensors = tensors.ToDictionary(t => t.Key, t => t.Value.Select(v => (float)(Half)v).ToArray(), StringComparer.Ordinal);
        Digest = ComputeDigest(Serialise(Tensors));
    }

    /// <summary>The digest of the absent patch: the packaged model as it is.</summary>
    public const string NoneDigest = "base";

    /// <summary>Gets the replacement weights by name (rounded to half precision).</summary>
    public IReadOnlyDictionary<string, float[]> Tensors { get; }

    /// <summary>Gets the first 16 hexadecimal digits of the SHA-256 of the patch's file form: a model trained over these weights names it.</summary>
    public string Digest { get; }

    /// <summary>Writes the patch's file form.</summary>
    /// <param name="stream">The destination.</param>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialise(Tensors));
    }

    /// <summary>Reads a patch written by <see cref="Write"/>.</summary>
    /// <param name="stream">The source.</param>
    /// <returns>The patch.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid patch.</exception>
    public static EncoderPatch Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("Not an EmpathyKit encoder patch.");
            }

            int count = reader.ReadInt32();
            if (count is < 0 or > MaxTensors)
            {
                throw new InvalidDataException($"An encoder patch holds at most {MaxTensors} tensors.");
            }

            var tensors = new Dictionary<string, float[]>(count, StringComparer.Ordinal);
            for (int t = 0; t < count; t++)
            {
                string name = reader.ReadString();
                int length = reader.ReadInt32();
                if (length is < 0 or > MaxValues || !tensors.TryAdd(name, new float[length]))
                {
                    throw new InvalidDataException($"The encoder patch's tensor '{name}' is repeated or longer than {MaxValues} values.");
                }

                float[] values = tensors[name];
                for (int i = 0; i < length; i++)
                {
                    values[i] = (float)reader.ReadHalf();
                }
            }

            return new EncoderPatch(tensors);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The encoder patch is cut short.", e);
        }
    }

    /// <summary>Writes the patch's weights over a model's.</summary>
    /// <param name="graph">The parsed model; its bytes are changed in place.</param>
    /// <exception cref="InvalidDataException">A weight is missing from the model or of another size.</exception>
    public void ApplyTo(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Dictionary<string, string> named = graph.NamedWeights();
        foreach ((string name, float[] values) in Tensors)
        {
            string target = graph.Initializers.ContainsKey(name) ? name
                : named.TryGetValue(name, out string? numbered) ? numbered
                : throw new InvalidDataException($"The encoder has no weight '{name}'.");
            graph.Overwrite(target, values);
        }
    }

    private static byte[] Serialise(IReadOnlyDictionary<string, float[]> tensors)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(tensors.Count);
            foreach ((string name, float[] values) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
                writer.Write(values.Length);
                foreach (float v in values)
                {
                    writer.Write((Half)v);
                }
            }
        }

        return buffer.ToArray();
    }

    private static string ComputeDigest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
}
