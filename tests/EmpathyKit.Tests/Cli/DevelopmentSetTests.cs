using EmpathyKit.Cli;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Cli;

/// <summary>The foundation detectors measured on ../shared/eval (figures in docs/quality.md).</summary>
public sealed class DevelopmentSetTests
{
    [SharedDataFact("eval/crisis-dev.jsonl")]
    public async Task Crisis_dev_set_escalation_recall_is_complete_and_false_alarms_are_rare()
    {
        CrisisEvaluation result = await CrisisEvaluation.RunAsync(new Engines().Crisis, CrisisCase.ReadJsonl(SharedData.PathOf("eval/crisis-dev.jsonl")), CancellationToken.None);
        Assert.Equal(91, result.Results.Count);
        Assert.Equal(1.0, result.EscalationRecall);
        Assert.True(result.FalseAlarmRate <= 0.03, result.Format());
        Assert.True(result.InBandRate >= 0.90, result.Format());
    }

    [SharedDataFact("eval/pii-dev.jsonl")]
    public async Task Pii_dev_set_is_measured_and_what_is_redacted_is_pii()
    {
        PiiEvaluation result = await PiiEvaluation.RunAsync(new Engines().PiiDetector, PiiCase.ReadJsonl(SharedData.PathOf("eval/pii-dev.jsonl")), CancellationToken.None);
        Assert.Equal(66, result.Cases);
        // The foundation redactor covers e-mail, phone and cards only (recall is low by design until the PII issue);
        // what it does redact must be PII.
        Assert.True(result.Precision >= 0.95, result.Format());
        Assert.True(result.Recall > 0, result.Format());
    }

    [Fact]
    public void Pii_coverage_counts_non_space_characters()
    {
        Assert.Equal(1.0, PiiEvaluation.Coverage("ab cd", 0, 5, [(0, 2), (3, 5)]));
        Assert.Equal(0.5, PiiEvaluation.Coverage("ab cd", 0, 5, [(0, 2)]));
    }
}
