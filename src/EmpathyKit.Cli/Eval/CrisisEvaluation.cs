using System.Globalization;
using System.Text;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Crisis metrics as the evaluation README defines them: escalation recall over cases whose band starts at high or
/// above, false-alarm rate over cases whose band ends below high (a false alarm is a prediction of high or imminent),
/// and in-band rate over all cases; with a confusion table and the misses.
/// </summary>
internal sealed class CrisisEvaluation
{
    private CrisisEvaluation(List<(CrisisCase Case, CrisisAssessment Predicted)> results)
    {
        Results = results;
        List<(CrisisCase Case, CrisisAssessment Predicted)> mustEscalate = [.. results.Where(r => r.Case.Min >= RiskLevel.High)];
        List<(CrisisCase Case, CrisisAssessment Predicted)> mustNot = [.. results.Where(r => r.Case.Max < RiskLevel.High)];
        EscalationRecall = Ratio(mustEscalate.Count(r => r.Predicted.Level >= RiskLevel.High), mustEscalate.Count);
        List<(CrisisCase Case, CrisisAssessment Predicted)> crisis = [.. results.Where(r => r.Case.Min >= RiskLevel.Moderate)];
        CrisisRecall = Ratio(crisis.Count(r => r.Predicted.Level >= RiskLevel.Moderate), crisis.Count);
        List<(CrisisCase Case, CrisisAssessment Predicted)> everyday = [.. results.Where(r => r.Case.Max == RiskLevel.None)];
        EverydayModerateRate = everyday.Count == 0 ? 0 : (double)everyday.Count(r => r.Predicted.Level >= RiskLevel.Moderate) / everyday.Count;
        MustEscalateCount = mustEscalate.Count;
        CrisisCount = crisis.Count;
        MustNotCount = mustNot.Count;
        EverydayCount = everyday.Count;
        FalseAlarmRate = Ratio(mustNot.Count(r => r.Predicted.Level >= RiskLevel.High), mustNot.Count);
        List<(CrisisCase Case, CrisisAssessment Predicted)> ordinary = [.. results.Where(r => r.Case.Max <= RiskLevel.Low)];
        OrdinaryCount = ordinary.Count;
        OrdinaryFalseAlarmRate = Ratio(ordinary.Count(r => r.Predicted.Level >= RiskLevel.High), ordinary.Count);
        InBandRate = Ratio(results.Count(r => InBand(r)), results.Count);
    }

    public List<(CrisisCase Case, CrisisAssessment Predicted)> Results { get; }

    public double EscalationRecall { get; }

    public double FalseAlarmRate { get; }

    /// <summary>
    /// Gets the false-alarm rate on ordinary distress and everyday chat alone (bands that end at low or none), the
    /// population the issue's 0.02 target names; <see cref="FalseAlarmRate"/> also counts crisis messages whose band
    /// ends at moderate.
    /// </summary>
    public double OrdinaryFalseAlarmRate { get; }

    /// <summary>Gets the number of ordinary-distress and everyday cases.</summary>
    public int OrdinaryCount { get; }

    /// <summary>Gets the share of crisis messages (band from moderate up) assessed moderate or above.</summary>
    public double CrisisRecall { get; }

    /// <summary>Gets the share of everyday messages (band none only) assessed moderate or above.</summary>
    public double EverydayModerateRate { get; }

    public int MustEscalateCount { get; }

    public int CrisisCount { get; }

    public int MustNotCount { get; }

    public int EverydayCount { get; }

    public double InBandRate { get; }

    public static async Task<CrisisEvaluation> RunAsync(ICrisisDetector detector, IEnumerable<CrisisCase> cases, CancellationToken cancellationToken)
    {
        var results = new List<(CrisisCase, CrisisAssessment)>();
        foreach (CrisisCase c in cases)
        {
            var input = new CrisisInput(c.Turns[^1], [.. c.Turns.Take(c.Turns.Count - 1)]);
            results.Add((c, await detector.AssessAsync(input, cancellationToken).ConfigureAwait(false)));
        }

        return new CrisisEvaluation(results);
    }

    public static bool InBand((CrisisCase Case, CrisisAssessment Predicted) r) =>
        r.Predicted.Level >= r.Case.Min && r.Predicted.Level <= r.Case.Max;

    /// <summary>One line of the summary table: the source and its figures.</summary>
    public string SummaryRow(string source)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Create(c, $"| {source} | {Results.Count} | {EscalationRecall:0.000} ({MustEscalateCount}) | {CrisisRecall:0.000} ({CrisisCount}) | {FalseAlarmRate:0.000} ({MustNotCount}) | {(OrdinaryCount == 0 ? "-" : OrdinaryFalseAlarmRate.ToString("0.000", c))} ({OrdinaryCount}) | {(EverydayCount == 0 ? "-" : EverydayModerateRate.ToString("0.000", c))} ({EverydayCount}) |");
    }

    public const string SummaryHeader = "| source | cases | must escalate: high or above | crisis: moderate or above | false alarms: high or above | of which ordinary distress and everyday | everyday: moderate or above |\n|---|---|---|---|---|---|---|";

    public string Format() => Format(misses: true);

    public string Format(bool misses)
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"cases: {Results.Count}");
        text.AppendLine(c, $"escalation recall: {EscalationRecall:0.000} ({Results.Count(r => r.Case.Min >= RiskLevel.High)} must escalate)");
        text.AppendLine(c, $"false-alarm rate:  {FalseAlarmRate:0.000} ({Results.Count(r => r.Case.Max < RiskLevel.High)} must not escalate)");
        text.AppendLine(c, $"  of which on ordinary distress and everyday chat: {OrdinaryFalseAlarmRate:0.000} ({OrdinaryCount} with a band ending at low or none)");
        text.AppendLine(c, $"in-band rate:      {InBandRate:0.000}");
        text.AppendLine(c, $"crisis recall (moderate or above): {CrisisRecall:0.000} ({CrisisCount} crisis messages)");
        text.AppendLine(c, $"everyday chat at moderate or above: {EverydayModerateRate:0.000} ({EverydayCount} everyday messages)");
        text.AppendLine();
        text.AppendLine("confusion (rows: expected band; columns: predicted level)");
        RiskLevel[] levels = Enum.GetValues<RiskLevel>();
        text.Append("band".PadRight(20));
        foreach (RiskLevel level in levels)
        {
            text.Append(level.ToWireName().PadLeft(10));
        }

        text.AppendLine();
        foreach (IGrouping<string, (CrisisCase Case, CrisisAssessment Predicted)> band in Results.GroupBy(r => Band(r.Case)).OrderBy(g => g.First().Case.Min).ThenBy(g => g.First().Case.Max))
        {
            text.Append(band.Key.PadRight(20));
            foreach (RiskLevel level in levels)
            {
                text.Append(band.Count(r => r.Predicted.Level == level).ToString(c).PadLeft(10));
            }

            text.AppendLine();
        }

        List<(CrisisCase Case, CrisisAssessment Predicted)> missed = [.. Results.Where(r => !InBand(r))];
        text.AppendLine();
        text.AppendLine(c, $"out of band ({missed.Count}){(misses ? ":" : "; --misses lists them")}");
        foreach ((CrisisCase cs, CrisisAssessment predicted) in misses ? missed : [])
        {
            string kind = cs.Min >= RiskLevel.High && predicted.Level < RiskLevel.High ? "MISSED ESCALATION"
                : cs.Max < RiskLevel.High && predicted.Level >= RiskLevel.High ? "FALSE ALARM"
                : "out of band";
            string turn = cs.Turns[^1].Length > 90 ? cs.Turns[^1][..90] + "…" : cs.Turns[^1];
            text.AppendLine(c, $"  {cs.Id} [{kind}] expected {Band(cs)}, got {predicted.Level.ToWireName()} ({string.Join(',', predicted.Signals)}): {turn}");
        }

        return text.ToString();
    }

    private static string Band(CrisisCase c) => c.Min == c.Max ? c.Min.ToWireName() : $"{c.Min.ToWireName()}-{c.Max.ToWireName()}";

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 1.0 : (double)numerator / denominator;
}
