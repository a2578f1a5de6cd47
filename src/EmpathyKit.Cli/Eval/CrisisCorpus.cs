using System.Security.Cryptography;
using System.Text;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// The project's crisis corpus (<c>data/crisis</c>): the pool, split by family and a fixed seed into train, dev and test
/// (frozen before the first training run; see <c>data/crisis/README.md</c>), and the held-out sets (test only).
/// </summary>
internal static class CrisisCorpus
{
    /// <summary>The seed of the split. Changing it changes which messages are test data: never change it.</summary>
    public const string Seed = "empathykit-crisis-2026-12-01";

    /// <summary>Returns the split of a pool family: <c>train</c> (70%), <c>dev</c> (10%) or <c>test</c> (20%).</summary>
    /// <param name="family">The family id.</param>
    /// <returns>The split's name.</returns>
    public static string SplitOf(string family)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(Seed + "|" + family));
        ulong value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
        double fraction = value / 18446744073709551616.0;
        return fraction < 0.7 ? "train" : fraction < 0.8 ? "dev" : "test";
    }

    /// <summary>Reads the pool's cases of one split.</summary>
    /// <param name="corpus">The corpus folder (<c>data/crisis</c>).</param>
    /// <param name="split"><c>train</c>, <c>dev</c> or <c>test</c>.</param>
    /// <returns>The cases.</returns>
    /// <remarks>
    /// A message whose text (case-insensitive) also stands in a split that ranks after this one (train, dev, test,
    /// held-out) is left out of this one, so that two writers' identical short lines ("hi", "cant do this anymore") never
    /// put a test message into training or tuning.
    /// </remarks>
    public static List<CrisisCase> Pool(string corpus, string split)
    {
        List<CrisisCase> all = [.. Directory.GetFiles(Path.Combine(corpus, "pool"), "*.jsonl").Order(StringComparer.Ordinal).SelectMany(CrisisCase.ReadJsonl)];
        string[] order = ["train", "dev", "test"];
        int rank = Array.IndexOf(order, split);
        var later = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (CrisisCase c in all.Where(c => Array.IndexOf(order, SplitOf(c.Family)) > rank).Concat(Heldout(corpus)))
        {
            later.Add(Key(c));
        }

        return [.. all.Where(c => SplitOf(c.Family) == split && !later.Contains(Key(c)))];
    }

    private static string Key(CrisisCase c) => string.Join("\n", c.Turns).Trim();

    /// <summary>Reads the held-out sets.</summary>
    /// <param name="corpus">The corpus folder.</param>
    /// <returns>The cases.</returns>
    public static List<CrisisCase> Heldout(string corpus) =>
        [.. Directory.GetFiles(Path.Combine(corpus, "heldout"), "*.jsonl").Order(StringComparer.Ordinal).SelectMany(CrisisCase.ReadJsonl)];
}
