using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>A gold span of the PII development set.</summary>
internal sealed record GoldSpan(string Type, int Start, int End, bool Required);

/// <summary>One message of the PII development set.</summary>
internal sealed record PiiCase(string Id, string Text, IReadOnlyList<GoldSpan> Spans)
{
    /// <summary>Reads the JSONL development set (<c>id</c>, <c>text</c>, <c>spans</c> with <c>type</c>, <c>start</c>, <c>end</c>, <c>required</c>).</summary>
    public static List<PiiCase> ReadJsonl(string path)
    {
        var cases = new List<PiiCase>();
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            List<GoldSpan> spans = [.. root.GetProperty("spans").EnumerateArray().Select(s => new GoldSpan(
                s.GetProperty("type").GetString() ?? string.Empty,
                s.GetProperty("start").GetInt32(),
                s.GetProperty("end").GetInt32(),
                !s.TryGetProperty("required", out JsonElement r) || r.GetBoolean()))];
            cases.Add(new PiiCase(root.GetProperty("id").GetString() ?? string.Empty, root.GetProperty("text").GetString() ?? string.Empty, spans));
        }

        return cases;
    }
}
