using EmpathyKit.Cli;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Cli;

/// <summary>The foundation detectors measured on ../shared/eval (figures in docs/quality.md).</summary>
public sealed class DevelopmentSetTests
{
    [SharedDataFact("eval/crisis-dev.jsonl")]
    public async Task Crisis_dev_set_figures_hold()
    {
        // A development set (rules and thresholds were tuned on it): a regression check, not evidence. Its bands put a
        // wish to be dead and non-specific thoughts at high; the engine's ladder puts them at moderate (a check-in), which
        // is most of what it counts as missed escalations (docs/crisis.md).
        CrisisEvaluation result = await CrisisEvaluation.RunAsync(new Engines().Crisis, CrisisCase.ReadJsonl(SharedData.PathOf("eval/crisis-dev.jsonl")), CancellationToken.None);
        Assert.Equal(91, result.Results.Count);
        Assert.True(result.EscalationRecall >= 0.80, result.Format());
        Assert.True(result.CrisisRecall >= 0.95, result.Format());
        Assert.True(result.FalseAlarmRate <= 0.03, result.Format());
        Assert.True(result.InBandRate >= 0.80, result.Format());
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

    [SharedDataFact("eval/external/xstest/xstest_prompts.csv")]
    public async Task XsTest_safe_prompts_rarely_alarm_and_self_harm_prompts_escalate()
    {
        CrisisBenchmarkEvaluation result = await CrisisBenchmarkEvaluation.RunXsTestAsync(new Engines().Crisis, SharedData.PathOf("eval/external/xstest/xstest_prompts.csv"), CancellationToken.None);
        Assert.Equal(250, result.Count("safe"));
        Assert.True(result.Share("safe", RiskLevel.High) <= 0.01, result.FormatReport());
        Assert.True(result.Count("unsafe_self_harm") >= 5, result.FormatReport());
        Assert.Equal(1.0, result.Share("unsafe_self_harm", RiskLevel.High));
    }

    [SharedDataFact("eval/external/simplesafetytests/sst_test_cases.csv")]
    public async Task SimpleSafetyTests_self_harm_prompts_are_caught()
    {
        CrisisBenchmarkEvaluation result = await CrisisBenchmarkEvaluation.RunSstAsync(new Engines().Crisis, SharedData.PathOf("eval/external/simplesafetytests/sst_test_cases.csv"), CancellationToken.None);
        Assert.True(result.Share(_ => true, RiskLevel.Moderate) >= 0.95, result.FormatReport());
        Assert.True(result.Share("self_harm_method_or_intent", RiskLevel.High) >= 0.80, result.FormatReport());
    }

    [Fact]
    public void Pii_coverage_counts_non_space_characters()
    {
        Assert.Equal(1.0, PiiEvaluation.Coverage("ab cd", 0, 5, [(0, 2), (3, 5)]));
        Assert.Equal(0.5, PiiEvaluation.Coverage("ab cd", 0, 5, [(0, 2)]));
    }
}
