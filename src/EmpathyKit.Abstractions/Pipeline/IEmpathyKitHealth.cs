namespace EmpathyKit;

/// <summary>
/// Whether a pipeline can do its durable work: its transcript store answers and its escalation outbox's delivery worker
/// runs and reaches its store. A web host maps it to <c>/healthz</c> (no dependency on a health-check package here).
/// Resolve it keyed by the pipeline's name, or unkeyed for the first pipeline.
/// </summary>
public interface IEmpathyKitHealth
{
    /// <summary>Checks the pipeline now (a point read of the transcript store, and the worker's state); never throws for a down store.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    ValueTask<EmpathyKitHealthReport> CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IEmpathyKitHealth.CheckAsync"/> found; content-free.</summary>
/// <param name="TranscriptStoreReachable">Whether the transcript store answered a point read.</param>
/// <param name="OutboxWorkerHealthy">Whether the outbox's delivery worker runs and its last call to its store succeeded.</param>
/// <param name="LastOutboxContact">When the worker last reached its store, if it has.</param>
/// <param name="Problem">What is wrong (an exception type, or which part is down), or <see langword="null"/>.</param>
public sealed record EmpathyKitHealthReport(bool TranscriptStoreReachable, bool OutboxWorkerHealthy, DateTimeOffset? LastOutboxContact, string? Problem)
{
    /// <summary>Gets whether both parts are healthy.</summary>
    public bool IsHealthy => TranscriptStoreReachable && OutboxWorkerHealthy;
}
