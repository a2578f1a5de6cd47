using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Semantic;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// A file of sentence embeddings keyed by the SHA-256 of each text, so that retraining the semantic model does not
/// re-encode turns it has already encoded (the encoder is deterministic: a cached vector is the vector it would give).
/// Holds no text. A missing, truncated or foreign file is treated as empty.
/// </summary>
internal static class EmbeddingCache
{
    private const int Magic = 0x454B4531; // "EKE1"

    /// <summary>The key of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its SHA-256, hexadecimal.</returns>
    public static string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Reads a cache file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The vectors by key; empty when the file is missing or unreadable.</returns>
    public static Dictionary<string, float[]> Read(string path)
    {
        var map = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return map;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadInt32() != Magic || reader.ReadInt32() != MiniLmEncoder.Dimensions)
            {
                return map;
            }

            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string key = Convert.ToHexString(reader.ReadBytes(32));
                var vector = new float[MiniLmEncoder.Dimensions];
                for (int k = 0; k < vector.Length; k++)
                {
                    vector[k] = reader.ReadSingle();
                }

                map[key] = vector;
            }
        }
        catch (EndOfStreamException)
        {
            map.Clear();
        }

        return map;
    }

    /// <summary>Writes the vectors of the given texts (replacing the file atomically).</summary>
    /// <param name="path">The file.</param>
    /// <param name="texts">The texts.</param>
    /// <param name="vectors">Their vectors.</param>
    public static void Write(string path, IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors)
    {
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(Magic);
            writer.Write(MiniLmEncoder.Dimensions);
            writer.Write(texts.Count);
            for (int i = 0; i < texts.Count; i++)
            {
                writer.Write(SHA256.HashData(Encoding.UTF8.GetBytes(texts[i])));
                foreach (float v in vectors[i])
                {
                    writer.Write(v);
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
