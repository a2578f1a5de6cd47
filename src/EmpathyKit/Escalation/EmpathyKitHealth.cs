using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit;

/// <summary>A pipeline's health (see <see cref="IEmpathyKitHealth"/>): a point read of its transcript store and its outbox worker's state.</summary>
internal sealed class EmpathyKitHealth : IEmpathyKitHealth
{
    // A pseudonym no conversation has (pseudonyms are "c_" + base64url of an HMAC): the read finds nothing, cheaply.
    private const string Probe = "c_health-probe";

    private readonly ITranscriptStore _store;
    private readonly EscalationDeliveryWorker _worker;

    public EmpathyKitHealth(ITranscriptStore store, EscalationDeliveryWorker worker)
    {
        _store = store;
        _worker = worker;
    }

    /// <inheritdoc />
    public async ValueTask<EmpathyKitHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        string? problem = null;
        bool store = true;
        try
        {
            _ = await _store.GetConversationAsync(Probe, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A health check reports a down store; it does not throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            store = false;
            problem = "transcript store: " + ex.GetType().Name;
        }

        bool worker = _worker.IsHealthy;
        if (!worker)
        {
            problem = (problem is null ? string.Empty : problem + "; ") + "escalation outbox worker not running or its store unreachable";
        }

        return new EmpathyKitHealthReport(store, worker, _worker.LastStoreContact, problem);
    }
}
