using EmpathyKit.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Raises a pipeline's escalations: the escalation stage's and the Semantic Kernel filters' one way. The escalation is
/// written to the durable outbox before the turn's reply is released, then delivered by the worker; if the outbox cannot
/// be written, the handlers are called directly once (logged and counted), so an alert is never dropped for a store
/// that is down.
/// </summary>
internal sealed class EscalationRaiser
{
    private readonly EscalationDeliveryWorker _worker;
    private readonly IReadOnlyList<LoggingEscalationHandler> _loggers;
    private readonly TimeSpan _waitForDelivery;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EscalationRaiser(EscalationDeliveryWorker worker, IEnumerable<IEscalationHandler> handlers, TimeSpan waitForDelivery, TimeProvider time, ILogger logger)
    {
        _worker = worker;
        _loggers = [.. handlers.OfType<LoggingEscalationHandler>()];
        _waitForDelivery = waitForDelivery;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the worker that delivers this pipeline's outbox.</summary>
    public EscalationDeliveryWorker Worker => _worker;

    /// <summary>Raises one escalation for a turn.</summary>
    /// <param name="conversationId">The conversation (empty when the turn named none).</param>
    /// <param name="assessment">The assessment that reached the escalation level.</param>
    /// <returns>What happened by the time the reply may be released.</returns>
    public async ValueTask<EscalationRecord> RaiseAsync(string conversationId, CrisisAssessment assessment)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var escalation = new EscalationEvent(Guid.CreateVersion7(now).ToString(), conversationId, assessment, now);
        await EscalationDispatch.RaiseAsync(_loggers, escalation, _logger, count: false).ConfigureAwait(false);
        var entry = new EscalationEntry(
            escalation.EscalationId,
            conversationId,
            now,
            assessment,
            [.. _worker.Channels.Select(c => new EscalationDelivery(c.Name, EscalationDeliveryState.Pending, 0, now, null, null))]);
        EscalationDeliveryWorker.Watch watch = _worker.StartWatch(escalation.EscalationId);
        try
        {
            try
            {
                // Not cancelled with the turn: a user closing the chat must not stop the alert.
                await _worker.Store.AddAsync(entry, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A store that is down must not drop the alert: the handlers are called directly instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.EscalationOutboxWriteFailed(_logger, escalation.EscalationId, ex.GetType().Name);
                return await EscalationDispatch.RaiseAsync([.. _worker.Channels.Select(c => c.Handler)], escalation, _logger, count: true).ConfigureAwait(false);
            }

            EmpathyKitTelemetry.Escalations.Add(1, new KeyValuePair<string, object?>("outcome", "queued"));
            _worker.EnsureStarted();
            _worker.Signal();
            await watch.WaitAsync(_waitForDelivery, _time).ConfigureAwait(false);
            return new EscalationRecord(escalation.EscalationId, watch.Delivered > 0 ? EscalationStatus.Delivered : EscalationStatus.Queued, watch.Delivered, watch.Failed);
        }
        finally
        {
            _worker.EndWatch(escalation.EscalationId);
        }
    }
}
