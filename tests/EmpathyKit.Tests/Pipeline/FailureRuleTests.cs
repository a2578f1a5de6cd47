using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Pipeline;

/// <summary>Each stage fails the way its contract says: crisis safe, redaction and guard closed, disclaimers open.</summary>
public sealed class FailureRuleTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Crisis_detector_failure_means_at_risk_and_the_provider_is_not_called(bool streaming)
    {
        using var host = new TestHost(configure: b => b.UseCrisisDetector(_ => new ThrowingCrisisDetector()));
        TurnReport report = await PipelineOrderTests.Run(host.Pipeline, "just a normal message", streaming);
        Assert.Equal(RiskLevel.High, report.Crisis!.Level);
        Assert.Contains(CrisisSignals.DetectorError, report.Crisis.Signals);
        Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
        Assert.Equal(EscalationStatus.Queued, report.Escalation!.Status); // raised into the outbox (the test host has no channel)
        Assert.Equal(0, host.Provider.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redaction_failure_fails_closed_and_nothing_leaves(bool streaming)
    {
        using var host = new TestHost(configure: b => b.UsePiiDetector(_ => new ThrowingPiiDetector()));
        TurnReport report = await PipelineOrderTests.Run(host.Pipeline, "my name is Sam and my email is sam@example.com", streaming);
        Assert.Equal(0, host.Provider.Calls);
        Assert.Equal(ReplySource.SafeFallback, report.ReplySource);
        Assert.True(report.TranscriptWritten);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Guard_failure_fails_closed(bool streaming)
    {
        using var host = new TestHost(configure: b => b.UseOutputGuard(_ => new ThrowingGuard()));
        TurnReport report = await PipelineOrderTests.Run(host.Pipeline, "I had a long day", streaming);
        Assert.Equal(ReplySource.GuardReplacement, report.ReplySource);
        Assert.Contains(GuardViolations.GuardError, report.Guard!.Violations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disclaimer_failure_fails_open(bool streaming)
    {
        using var host = new TestHost(configure: b => b.UseDisclaimerPolicy(_ => new ThrowingPolicy()));
        TurnReport report = await PipelineOrderTests.Run(host.Pipeline, "hello", streaming);
        Assert.Equal(ReplySource.Provider, report.ReplySource);
        Assert.Empty(report.Disclaimers);
        Assert.Equal(1, host.Provider.Calls);
    }

    [Fact]
    public async Task A_failing_escalation_handler_does_not_stop_the_others()
    {
        var received = new List<EscalationEvent>();
        using var host = new TestHost(
            configure: b => b
                .AddEscalationHandler(_ => new ThrowingEscalationHandler())
                .AddEscalationHandler(_ => new RecordingEscalationHandler(received)),
            options: o => o.Escalations.WaitForDelivery = TimeSpan.FromSeconds(10));
        TurnReport report = await PipelineOrderTests.Run(host.Pipeline, "I took 30 pills an hour ago", streaming: false);
        Assert.Equal(RiskLevel.Imminent, report.Crisis!.Level);
        Assert.Single(received);
        Assert.Equal(EscalationStatus.Delivered, report.Escalation!.Status);
        Assert.True(report.Escalation.HandlersSucceeded >= 1);
        Assert.True(report.Escalation.HumanAlerted);

        // The failing channel keeps its own delivery, retried, while the other's is done.
        IEscalationOutbox outbox = host.Services.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        EscalationEntry entry = (await outbox.GetAsync(report.Escalation.EscalationId))!;
        Assert.Equal(["ThrowingEscalationHandler", "RecordingEscalationHandler"], entry.Deliveries.Select(d => d.Channel));
        Assert.Equal(EscalationDeliveryState.Delivered, entry.Deliveries[1].State);
        Assert.NotEqual(EscalationDeliveryState.Delivered, entry.Deliveries[0].State);
    }

    private sealed class ThrowingCrisisDetector : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => throw new InvalidOperationException("boom");
    }

    private sealed class ThrowingPiiDetector : IPiiDetector
    {
        public ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default) => throw new InvalidOperationException("boom");
    }

    private sealed class ThrowingGuard : IOutputGuard
    {
        public ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default) => throw new InvalidOperationException("boom");
    }

    private sealed class ThrowingPolicy : IDisclaimerPolicy
    {
        public IReadOnlyList<Disclaimer> Select(DisclaimerContext context) => throw new InvalidOperationException("boom");
    }

    private sealed class ThrowingEscalationHandler : IEscalationHandler
    {
        public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default) => throw new InvalidOperationException("boom");
    }
}
