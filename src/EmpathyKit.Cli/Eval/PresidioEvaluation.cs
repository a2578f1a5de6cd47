using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Per-type and global precision, recall and F2 on presidio-research's synthetic dataset, with the type mapping of the
/// PII guide and span-overlap matching of the same type: a gold span counts as found when a predicted span of its type
/// overlaps it; a predicted span counts as correct when it overlaps a gold span of its type. Gold types outside the
/// mapping (places, organisations, titles, dates…) and our types the dataset does not label (dates of birth, NHS, NINO,
/// handles) are left out.
/// </summary>
internal sealed class PresidioEvaluation
{
    /// <summary>The guide's mapping from presidio-research types to ours.</summary>
    public static readonly FrozenDictionary<string, string> TypeMap = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PERSON"] = PiiTypes.Person, ["STREET_ADDRESS"] = PiiTypes.StreetAddress, ["PHONE_NUMBER"] = PiiTypes.Phone,
        ["EMAIL_ADDRESS"] = PiiTypes.Email, ["CREDIT_CARD"] = PiiTypes.CreditCard, ["IBAN_CODE"] = PiiTypes.Iban,
        ["US_SSN"] = PiiTypes.UsSsn, ["IP_ADDRESS"] = PiiTypes.IpAddress, ["DOMAIN_NAME"] = PiiTypes.Url, ["ZIP_CODE"] = PiiTypes.Postcode,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly Dictionary<string, Counts> _byType = new(StringComparer.Ordinal);

    public int Samples { get; private set; }

    public double SecondsPerSample { get; private set; }

    public IReadOnlyDictionary<string, Counts> ByType => _byType;

    public List<(string Text, string Type, string Value, bool Missed)> Errors { get; } = [];

    public static async Task<PresidioEvaluation> RunAsync(IPiiDetector detector, string path, TextWriter? progress, CancellationToken cancellationToken)
    {
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
        var evaluation = new PresidioEvaluation();
        foreach (string type in TypeMap.Values)
        {
            evaluation._byType[type] = new Counts();
        }

        int total = document.RootElement.GetArrayLength();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (JsonElement sample in document.RootElement.EnumerateArray())
        {
            string text = sample.GetProperty("full_text").GetString() ?? string.Empty;
            List<(string Type, int Start, int End)> gold = [];
            foreach (JsonElement span in sample.GetProperty("spans").EnumerateArray())
            {
                if (TypeMap.TryGetValue(span.GetProperty("entity_type").GetString() ?? string.Empty, out string? ours))
                {
                    gold.Add((ours, span.GetProperty("start_position").GetInt32(), span.GetProperty("end_position").GetInt32()));
                }
            }

            IReadOnlyList<PiiEntity> predicted = await detector.DetectAsync(text, cancellationToken);
            evaluation.Score(text, gold, predicted);
            evaluation.Samples++;
            if (progress is not null && evaluation.Samples % 100 == 0)
            {
                await progress.WriteAsync($"\r  {evaluation.Samples}/{total} samples");
            }
        }

        if (progress is not null)
        {
            await progress.WriteLineAsync();
        }

        evaluation.SecondsPerSample = clock.Elapsed.TotalSeconds / Math.Max(1, evaluation.Samples);
        return evaluation;
    }

    private void Score(string text, List<(string Type, int Start, int End)> gold, IReadOnlyList<PiiEntity> predicted)
    {
        foreach ((string type, int start, int end) in gold)
        {
            bool found = predicted.Any(p => p.Type == type && p.Start < end && start < p.End);
            _byType[type].Gold++;
            if (found)
            {
                _byType[type].GoldFound++;
            }
            else
            {
                Errors.Add((text, type, text[start..end], true));
            }
        }

        foreach (PiiEntity p in predicted)
        {
            if (!_byType.TryGetValue(p.Type, out Counts? counts))
            {
                continue;
            }

            counts.Predicted++;
            if (gold.Exists(g => g.Type == p.Type && g.Start < p.End && p.Start < g.End))
            {
                counts.PredictedCorrect++;
            }
            else
            {
                Errors.Add((text, p.Type, text[p.Start..p.End], false));
            }
        }
    }

    public (double Precision, double Recall, double F2) Global(Func<string, bool> include)
    {
        Counts sum = new();
        foreach ((string type, Counts c) in _byType)
        {
            if (include(type))
            {
                sum.Gold += c.Gold;
                sum.GoldFound += c.GoldFound;
                sum.Predicted += c.Predicted;
                sum.PredictedCorrect += c.PredictedCorrect;
            }
        }

        return (sum.Precision, sum.Recall, sum.F2);
    }

    public string Format(int maxErrors)
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"samples: {Samples}; {SecondsPerSample * 1e6:0.0} µs a sample");
        text.AppendLine(c, $"{"type",-16}{"gold",6}{"pred",6}{"P",8}{"R",8}{"F2",8}");
        foreach ((string type, Counts counts) in _byType.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"{type,-16}{counts.Gold,6}{counts.Predicted,6}{counts.Precision,8:0.000}{counts.Recall,8:0.000}{counts.F2,8:0.000}");
        }

        (double p, double r, double f2) = Global(_ => true);
        text.AppendLine(c, $"global, all mapped types:          P {p:0.0000}  R {r:0.0000}  F2 {f2:0.0000}");
        (p, r, f2) = Global(type => _byType[type].Predicted > 0);
        text.AppendLine(c, $"global, types we detect (pred>0):  P {p:0.0000}  R {r:0.0000}  F2 {f2:0.0000}");
        text.AppendLine();
        text.AppendLine(c, $"errors (first {maxErrors} of {Errors.Count}; M = missed gold span, F = false positive):");
        foreach ((string sample, string type, string value, bool missed) in Errors.Take(maxErrors))
        {
            string context = sample.Replace('\n', ' ');
            text.AppendLine(c, $"  {(missed ? 'M' : 'F')} {type}: \"{value.Replace('\n', ' ')}\" in \"{(context.Length > 100 ? context[..100] + "…" : context)}\"");
        }

        return text.ToString();
    }

    internal sealed class Counts
    {
        public int Gold { get; set; }

        public int GoldFound { get; set; }

        public int Predicted { get; set; }

        public int PredictedCorrect { get; set; }

        public double Precision => Predicted == 0 ? 0 : (double)PredictedCorrect / Predicted;

        public double Recall => Gold == 0 ? 0 : (double)GoldFound / Gold;

        public double F2 => Precision + Recall == 0 ? 0 : 5 * Precision * Recall / ((4 * Precision) + Recall);
    }
}
