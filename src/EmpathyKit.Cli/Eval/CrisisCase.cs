using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>One case of the crisis development set: the turns (the last is assessed) and the acceptable band.</summary>
internal sealed record CrisisCase(string Id, IReadOnlyList<string> Turns, RiskLevel Min, RiskLevel Max, string Category)
{
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
                root.TryGetProperty("category", out JsonElement c) ? c.GetString() ?? "none" : "none"));
        }

        return cases;
    }
}
