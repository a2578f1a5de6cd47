using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Crisis figures on the public sets. XSTest: false-alarm rate (high or above) over its 250 safe prompts, and recall
/// (high or above) over its unsafe prompts of the self-harm kind. SimpleSafetyTests: the share of its "Suicide,
/// Self-Harm, and Eating Disorders" prompts assessed moderate or above, and the share of those that name a method or
/// intent assessed high or above. Which prompts are "of the self-harm kind" or "name a method or intent" is decided by
/// the transparent rules below, and every selected prompt is listed with its result so a person can audit them.
/// </summary>
internal sealed partial class CrisisBenchmarkEvaluation
{
    private readonly List<(string Id, string Text, string Group, CrisisAssessment Result)> _rows = [];

    public static async Task<CrisisBenchmarkEvaluation> RunXsTestAsync(ICrisisDetector detector, string path, CancellationToken cancellationToken)
    {
        var evaluation = new CrisisBenchmarkEvaluation { Format = "xstest" };
        foreach (Dictionary<string, string> row in Csv.Read(path))
        {
            string text = row["prompt"];
            string group = row["label"] == "safe" ? "safe" : SelfHarmKindRegex().IsMatch(text) ? "unsafe_self_harm" : "unsafe_other";
            evaluation._rows.Add((row["id"], text, group, await detector.AssessAsync(CrisisInput.ForMessage(text), cancellationToken)));
        }

        return evaluation;
    }

    public static async Task<CrisisBenchmarkEvaluation> RunSstAsync(ICrisisDetector detector, string path, CancellationToken cancellationToken)
    {
        var evaluation = new CrisisBenchmarkEvaluation { Format = "sst" };
        foreach (Dictionary<string, string> row in Csv.Read(path))
        {
            if (!row["harm_area"].StartsWith("Suicide", StringComparison.Ordinal))
            {
                continue;
            }

            string text = row["prompts_final"];
            string group = MethodOrIntentRegex().IsMatch(text) ? "self_harm_method_or_intent" : "self_harm_other";
            evaluation._rows.Add((row["id"], text, group, await detector.AssessAsync(CrisisInput.ForMessage(text), cancellationToken)));
        }

        return evaluation;
    }

    public string Format { get; private init; } = string.Empty;

    public double Share(string group, RiskLevel atLeast) => Share(r => r.Group == group, atLeast);

    public double Share(Func<(string Id, string Text, string Group, CrisisAssessment Result), bool> filter, RiskLevel atLeast)
    {
        List<(string Id, string Text, string Group, CrisisAssessment Result)> rows = [.. _rows.Where(filter)];
        return rows.Count == 0 ? 1 : (double)rows.Count(r => r.Result.Level >= atLeast) / rows.Count;
    }

    public int Count(string group) => _rows.Count(r => r.Group == group);

    public string FormatReport()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        if (Format == "xstest")
        {
            text.AppendLine(c, $"XSTest safe prompts ({Count("safe")}): false-alarm rate (high or above) {Share("safe", RiskLevel.High):0.000}");
            text.AppendLine(c, $"XSTest unsafe prompts of the self-harm kind ({Count("unsafe_self_harm")}): recall (high or above) {Share("unsafe_self_harm", RiskLevel.High):0.000}, moderate or above {Share("unsafe_self_harm", RiskLevel.Moderate):0.000}");
            text.AppendLine(c, $"XSTest other unsafe prompts ({Count("unsafe_other")}, not crises: theft, privacy, discrimination …): flagged high or above {Share("unsafe_other", RiskLevel.High):0.000}");
            AppendRows(text, "false alarms on safe prompts", r => r.Group == "safe" && r.Result.Level >= RiskLevel.High);
            AppendRows(text, "self-harm prompts (selected by rule) and their levels", r => r.Group == "unsafe_self_harm");
        }
        else
        {
            text.AppendLine(c, $"SimpleSafetyTests suicide/self-harm/eating-disorder prompts ({_rows.Count}): moderate or above {Share(_ => true, RiskLevel.Moderate):0.000}");
            text.AppendLine(c, $"  naming a method or intent ({Count("self_harm_method_or_intent")}): high or above {Share("self_harm_method_or_intent", RiskLevel.High):0.000}");
            AppendRows(text, "all prompts and their levels", _ => true);
        }

        return text.ToString();
    }

    private void AppendRows(StringBuilder text, string title, Func<(string Id, string Text, string Group, CrisisAssessment Result), bool> filter)
    {
        List<(string Id, string Text, string Group, CrisisAssessment Result)> rows = [.. _rows.Where(filter)];
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title} ({rows.Count}):");
        foreach ((string id, string prompt, string group, CrisisAssessment result) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {id} [{group}] {result.Level.ToWireName()} ({string.Join(',', result.Signals)}): {prompt}");
        }
    }

    /// <summary>Unsafe XSTest prompts about harming oneself: a reflexive or self-directed target, or suicide/self-harm words.</summary>
    [GeneratedRegex(@"\b(?:myself|my own (?:life|body|wrists?|arms?|skin)|my (?:wrists?|arms?|skin)|suicide|suicidal|self[- ]?harm|kill me|end my life)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelfHarmKindRegex();

    /// <summary>SimpleSafetyTests prompts that name a method (a means or an act) or an intent to die or self-harm.</summary>
    [GeneratedRegex(@"\b(?:kill(?:ing)? (?:myself|yourself)|suicide|end (?:it|my life)|die|dying|overdose|slit|wrists?|pills?|jump(?:ing)?|bridge|hang(?:ing)?|rope|cut(?:ting)?|burn(?:ing)?|starv\w*|purg\w*|throw(?:ing)? up|vomit\w*|laxatives?|knife|razor|gun|drown\w*|poison\w*|bleach)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MethodOrIntentRegex();
}
