using System.Globalization;
using System.Text;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// PII metrics as the evaluation README defines them: recall is the share of required gold spans at least 80% covered
/// (non-space characters) by predicted spans; precision is the share of predicted spans at least 50% inside some gold
/// span (required or optional); F2 weights recall four times as much as precision.
/// </summary>
internal sealed class PiiEvaluation
{
    public List<(PiiCase Case, GoldSpan Span)> MissedRequired { get; } = [];

    public List<(PiiCase Case, PiiEntity Entity)> FalsePositives { get; } = [];

    public int RequiredTotal { get; private set; }

    public int PredictedTotal { get; private set; }

    public int Cases { get; private set; }

    public double Recall => RequiredTotal == 0 ? 1 : (double)(RequiredTotal - MissedRequired.Count) / RequiredTotal;

    public double Precision => PredictedTotal == 0 ? 1 : (double)(PredictedTotal - FalsePositives.Count) / PredictedTotal;

    public double F2 => Precision + Recall == 0 ? 0 : 5 * Precision * Recall / ((4 * Precision) + Recall);

    public static async Task<PiiEvaluation> RunAsync(IPiiDetector detector, IEnumerable<PiiCase> cases, CancellationToken cancellationToken)
    {
        var evaluation = new PiiEvaluation();
        foreach (PiiCase c in cases)
        {
            evaluation.Cases++;
            IReadOnlyList<PiiEntity> predicted = await detector.DetectAsync(c.Text, cancellationToken).ConfigureAwait(false);
            evaluation.PredictedTotal += predicted.Count;
            foreach (GoldSpan gold in c.Spans.Where(s => s.Required))
            {
                evaluation.RequiredTotal++;
                if (Coverage(c.Text, gold.Start, gold.End, predicted.Select(p => (p.Start, p.End))) < 0.8)
                {
                    evaluation.MissedRequired.Add((c, gold));
                }
            }

            foreach (PiiEntity entity in predicted)
            {
                bool inside = c.Spans.Any(g => Coverage(c.Text, entity.Start, entity.End, [(g.Start, g.End)]) >= 0.5);
                if (!inside)
                {
                    evaluation.FalsePositives.Add((c, entity));
                }
            }
        }

        return evaluation;
    }

    /// <summary>The share of non-space characters of [start, end) covered by any of <paramref name="covers"/>.</summary>
    public static double Coverage(string text, int start, int end, IEnumerable<(int Start, int End)> covers)
    {
        List<(int Start, int End)> list = [.. covers];
        int total = 0;
        int covered = 0;
        for (int i = Math.Max(0, start); i < Math.Min(end, text.Length); i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                continue;
            }

            total++;
            if (list.Exists(c => i >= c.Start && i < c.End))
            {
                covered++;
            }
        }

        return total == 0 ? 0 : (double)covered / total;
    }

    public string Format()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"messages: {Cases}; required spans: {RequiredTotal}; predicted spans: {PredictedTotal}");
        text.AppendLine(c, $"recall:    {Recall:0.000}");
        text.AppendLine(c, $"precision: {Precision:0.000}");
        text.AppendLine(c, $"F2:        {F2:0.000}");
        text.AppendLine();
        text.AppendLine(c, $"missed required spans ({MissedRequired.Count}):");
        foreach ((PiiCase cs, GoldSpan span) in MissedRequired)
        {
            text.AppendLine(c, $"  {cs.Id} {span.Type}: \"{cs.Text[span.Start..span.End]}\"");
        }

        text.AppendLine(c, $"false positives ({FalsePositives.Count}):");
        foreach ((PiiCase cs, PiiEntity entity) in FalsePositives)
        {
            text.AppendLine(c, $"  {cs.Id} {entity.Type} ({entity.Rule}): \"{cs.Text[entity.Start..entity.End]}\"");
        }

        return text.ToString();
    }
}
