using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Scores a JSONL file of (message, reply) pairs with the empathy scorer. Each line is an object with <c>message</c> and
/// <c>reply</c> (required) and optionally <c>id</c>, <c>category</c>, <c>turn</c> (zero-based user turn, default 0),
/// <c>previous</c> (the bot's earlier replies), <c>band</c> (<c>[min, max]</c> expected total) and <c>flags</c> (the
/// anti-patterns expected), and <c>known_miss</c> (why the scorer is known to miss this pair's expectations). Reports the
/// mean score per category, how many totals fall in their band, and flag recall and false flags (over every pair, known
/// misses included); a line that is not valid is reported by number and skipped. A known miss that misses is listed but
/// does not fail the run; one that now meets its expectations fails it, so the marker is removed and the set stays true.
/// </summary>
internal sealed class EmpathyEvaluation
{
    private readonly StringBuilder _report = new();

    private EmpathyEvaluation()
    {
    }

    /// <summary>Gets the metrics by name: <c>pairs</c>, <c>invalid</c>, <c>mean</c>, <c>in_band</c>, <c>flag_recall</c>, <c>false_flags</c>, <c>mean.&lt;category&gt;</c>.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the scored pairs that missed their band or their expected flags (ids only).</summary>
    public List<string> Misses { get; } = [];

    /// <summary>Gets the pairs marked <c>known_miss</c> that missed, as the marker says (ids only).</summary>
    public List<string> KnownMisses { get; } = [];

    /// <summary>Gets the pairs marked <c>known_miss</c> that now meet their expectations (the marker must go).</summary>
    public List<string> FixedKnownMisses { get; } = [];

    /// <summary>Gets whether every scored pair met its expectations, apart from the pairs marked as known misses.</summary>
    public bool AllExpectationsMet => Misses.Count == 0 && FixedKnownMisses.Count == 0 && Metrics["invalid"] == 0;

    public string Format() => _report.ToString();

    /// <summary>Scores every pair in <paramref name="path"/>.</summary>
    public static EmpathyEvaluation Run(IEmpathyScorer scorer, string path, bool details, CancellationToken cancellationToken)
    {
        var evaluation = new EmpathyEvaluation();
        CultureInfo c = CultureInfo.InvariantCulture;
        var byCategory = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        int lineNumber = 0, invalid = 0, banded = 0, inBand = 0, expectedFlags = 0, foundFlags = 0, falseFlags = 0, total = 0;
        var invalidLines = new List<int>();
        foreach (string line in File.ReadLines(path, Encoding.UTF8))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Pair? pair = Pair.Parse(line);
            if (pair is null)
            {
                invalid++;
                invalidLines.Add(lineNumber);
                continue;
            }

            EmpathyScore score = scorer.Score(new EmpathyScoreRequest(pair.Message, pair.Reply, pair.Turn, pair.Previous));
            total++;
            string category = pair.Category ?? "all";
            if (!byCategory.TryGetValue(category, out List<int>? scores))
            {
                byCategory[category] = scores = [];
            }

            scores.Add(score.Total);
            bool miss = false;
            if (pair.Band is { } band)
            {
                banded++;
                if (score.Total >= band.Min && score.Total <= band.Max)
                {
                    inBand++;
                }
                else
                {
                    miss = true;
                }
            }

            if (pair.Flags is { } expected)
            {
                expectedFlags += expected.Count;
                foundFlags += expected.Count(score.Flags.Contains);
                int extra = score.Flags.Count(f => !expected.Contains(f));
                falseFlags += extra;
                miss |= extra > 0 || !expected.All(score.Flags.Contains);
            }

            string id = pair.Id ?? "line " + lineNumber.ToString(c);
            string mark = "      ";
            if (pair.KnownMiss is not null)
            {
                (miss ? evaluation.KnownMisses : evaluation.FixedKnownMisses).Add(id);
                mark = miss ? "KNOWN " : "FIXED ";
            }
            else if (miss)
            {
                evaluation.Misses.Add(id);
                mark = "MISS  ";
            }

            if (details || miss || pair.KnownMiss is not null)
            {
                evaluation._report.AppendLine(c, $"{mark}{id,-16} {score.EmotionalReaction}+{score.Interpretation}+{score.Exploration}={score.Total}  flags: {(score.Flags.Count == 0 ? "-" : string.Join(',', score.Flags))}{(pair.Band is { } b ? $"  expected {b.Min}-{b.Max}" : string.Empty)}{(pair.Flags is { Count: > 0 } f ? " " + string.Join(',', f) : string.Empty)}  [{string.Join(' ', score.Signals)}]{(pair.KnownMiss is null ? string.Empty : miss ? "  known miss: " + pair.KnownMiss : "  now met: remove known_miss")}");
            }
        }

        evaluation._report.AppendLine(c, $"Empathy (EPITOME rules, 0-6): {total} pairs scored, {invalid} invalid");
        evaluation._report.AppendLine(c, $"{"category",-16} {"n",4} {"mean",6} {"min",4} {"max",4}");
        foreach ((string category, List<int> scores) in byCategory)
        {
            evaluation._report.AppendLine(c, $"{category,-16} {scores.Count,4} {scores.Average(),6:0.00} {scores.Min(),4} {scores.Max(),4}");
            evaluation.Metrics["mean." + category] = scores.Average();
        }

        double mean = total == 0 ? 0 : byCategory.Values.SelectMany(s => s).Average();
        evaluation.Metrics["pairs"] = total;
        evaluation.Metrics["invalid"] = invalid;
        evaluation.Metrics["mean"] = mean;
        evaluation.Metrics["in_band"] = banded == 0 ? 1 : (double)inBand / banded;
        evaluation.Metrics["flag_recall"] = expectedFlags == 0 ? 1 : (double)foundFlags / expectedFlags;
        evaluation.Metrics["false_flags"] = falseFlags;
        if (banded > 0)
        {
            evaluation._report.AppendLine(c, $"in band: {inBand}/{banded} ({evaluation.Metrics["in_band"]:0.000})");
        }

        if (expectedFlags > 0 || falseFlags > 0)
        {
            evaluation._report.AppendLine(c, $"expected flags found: {foundFlags}/{expectedFlags} ({evaluation.Metrics["flag_recall"]:0.000}); unexpected flags: {falseFlags}");
        }

        evaluation.Metrics["known_misses"] = evaluation.KnownMisses.Count;
        if (evaluation.KnownMisses.Count > 0 || evaluation.FixedKnownMisses.Count > 0)
        {
            evaluation._report.AppendLine(c, $"known misses (marked in the set, counted above, not failures): {evaluation.KnownMisses.Count}; marked but now met (remove the marker): {evaluation.FixedKnownMisses.Count}");
        }

        if (invalid > 0)
        {
            evaluation._report.AppendLine(c, $"invalid lines (need \"message\" and \"reply\" strings): {string.Join(", ", invalidLines.Take(20))}{(invalidLines.Count > 20 ? ", ..." : string.Empty)}");
        }

        return evaluation;
    }

    private sealed record Pair(string? Id, string? Category, string Message, string Reply, int Turn, IReadOnlyList<string>? Previous, (int Min, int Max)? Band, List<string>? Flags, string? KnownMiss)
    {
        public static Pair? Parse(string line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("message", out JsonElement message) || message.ValueKind != JsonValueKind.String
                    || !root.TryGetProperty("reply", out JsonElement reply) || reply.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                int turn = root.TryGetProperty("turn", out JsonElement t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out int value) && value >= 0 ? value : 0;
                (int, int)? band = null;
                if (root.TryGetProperty("band", out JsonElement b))
                {
                    if (b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 2 || !b[0].TryGetInt32(out int min) || !b[1].TryGetInt32(out int max) || min < 0 || max > 6 || min > max)
                    {
                        return null;
                    }

                    band = (min, max);
                }

                return new Pair(
                    Text(root, "id"),
                    Text(root, "category"),
                    message.GetString()!,
                    reply.GetString()!,
                    turn,
                    Strings(root, "previous"),
                    band,
                    Strings(root, "flags"),
                    Text(root, "known_miss"));
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static List<string>? Strings(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
                ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
                : null;
    }
}
