using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>One case of the crisis development set: the turns (the last is assessed) and the acceptable band.</summary>
internal sealed record CrisisCase(string Id, IReadOnlyList<string> Turns, RiskLevel Min, RiskLevel Max, string Category)
{
    /// <summary>Gets the family of close variants the case belongs to (the corpus is split by family).</summary>
    public string Family { get; init; } = Id;

    /// <summary>Gets the rung the writer gave the case (the corpus's <c>rung</c> field), or <c>none</c>.</summary>
    public string Rung { get; init; } = "none";

    /// <summary>Gets the kind of hard negative (the corpus's <c>negative</c> field), or <see langword="null"/> for a risk message.</summary>
    public string? Negative { get; init; }

    /// <summary>Reads the JSONL development set (<c>id</c>, <c>text</c> or <c>turns</c>, <c>min</c>, <c>max</c>, <c>category</c>).</summary>
    public static List<CrisisCase> ReadJsonl(string path)
    {
        var cases = new List<CrisisCase>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            List<string> turns = root.TryGetProperty("turns", out JsonElement t)
                ? [.. t.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
                : [root.GetProperty("text").GetString() ?? string.Empty];
            if (!WireNames.TryParseRiskLevel(root.GetProperty("min").GetString(), out RiskLevel min)
                || !WireNames.TryParseRiskLevel(root.GetProperty("max").GetString(), out RiskLevel max))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: unknown risk level in min or max.");
            }

            cases.Add(new CrisisCase(
                root.GetProperty("id").GetString() ?? $"line-{lineNumber}",
                turns,
                min,
                max,
                root.TryGetProperty("category", out JsonElement c) ? c.GetString() ?? "none" : "none")
            {
                Family = root.TryGetProperty("family", out JsonElement f) && f.GetString() is { } family ? family : root.GetProperty("id").GetString() ?? $"line-{lineNumber}",
                Rung = root.TryGetProperty("rung", out JsonElement r) && r.GetString() is { } rung ? rung : "none",
                Negative = root.TryGetProperty("negative", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
            });
        }

        return cases;
    }
}
