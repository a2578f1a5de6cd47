using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// A GoEmotions split (<c>train.tsv</c> or <c>dev.tsv</c>: text, comma-separated label ids, comment id) with its labels
/// mapped to Ekman's six emotions plus neutral through <c>emotions.txt</c> and <c>ekman_mapping.json</c> beside it.
/// </summary>
internal static class GoEmotionsData
{
    /// <summary>Gets the Ekman classes and neutral, in the order reports list them.</summary>
    public static IReadOnlyList<string> EkmanClasses { get; } = ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"];

    /// <summary>Reads only the texts of a split (no label files needed).</summary>
    /// <param name="tsv">The split's path.</param>
    /// <returns>Each comment's text.</returns>
    public static IEnumerable<string> LoadTexts(string tsv)
    {
        foreach (string line in File.ReadLines(tsv, Encoding.UTF8))
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                yield return line[..tab];
            }
        }
    }

    /// <summary>Reads a split; lines whose labels all fall outside the mapping are left out.</summary>
    /// <param name="tsv">The split's path.</param>
    /// <returns>Each message with its Ekman classes (neutral is a class of its own).</returns>
    public static List<(string Text, HashSet<string> Gold)> Load(string tsv)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(tsv))!;
        string[] labels = File.ReadAllLines(Path.Combine(folder, "emotions.txt")).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var ekmanOfLabel = new Dictionary<string, string>(StringComparer.Ordinal) { ["neutral"] = "neutral" };
        using (JsonDocument mapping = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "ekman_mapping.json"))))
        {
            foreach (JsonProperty ekman in mapping.RootElement.EnumerateObject())
            {
                foreach (JsonElement fine in ekman.Value.EnumerateArray())
                {
                    ekmanOfLabel[fine.GetString()!] = ekman.Name;
                }
            }
        }

        var examples = new List<(string Text, HashSet<string> Gold)>();
        foreach (string line in File.ReadLines(tsv, Encoding.UTF8))
        {
            string[] parts = line.Split('\t');
            if (parts.Length < 2)
            {
                continue;
            }

            var gold = new HashSet<string>(StringComparer.Ordinal);
            foreach (string id in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < labels.Length
                    && ekmanOfLabel.TryGetValue(labels[index], out string? ekman))
                {
                    gold.Add(ekman);
                }
            }

            if (gold.Count > 0)
            {
                examples.Add((parts[0], gold));
            }
        }

        return examples;
    }

    /// <summary>F1 from counts (0 when nothing was predicted or expected).</summary>
    /// <param name="tp">True positives.</param>
    /// <param name="fp">False positives.</param>
    /// <param name="fn">False negatives.</param>
    /// <returns>The F1.</returns>
    public static double F1(int tp, int fp, int fn) => tp == 0 ? 0 : 2.0 * tp / ((2 * tp) + fp + fn);
}
