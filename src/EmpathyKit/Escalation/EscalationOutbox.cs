using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts;

namespace EmpathyKit;

/// <summary>
/// A pipeline's durable escalation outbox as hosts and operators read it (see <see cref="IEscalationOutbox"/>). An
/// acknowledgement or resolution that this call made is written to the transcripts' audit log with the person's id
/// (the escalation's id and outcome code in the detail; no conversation, no content).
/// </summary>
internal sealed class EscalationOutbox : IEscalationOutbox
{
    private readonly IEscalationStore _store;
    private readonly TimeProvider _time;
    private readonly Func<TranscriptVault?> _audit;

    public EscalationOutbox(IEscalationStore store, TimeProvider time, Func<TranscriptVault?>? audit = null)
    {
        _store = store;
        _time = time;
        _audit = audit ?? (static () => null);
    }

    /// <inheritdoc />
    public ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(escalationId, nameof(escalationId));
        return _store.GetAsync(escalationId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly = true, int limit = 100, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckLimit(limit);
        return _store.ListAsync(openOnly, limit, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(string escalationId, string operatorId, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(escalationId, nameof(escalationId));
        EscalationRows.CheckId(operatorId, nameof(operatorId));
        return AuditedAsync(
            _store.AcknowledgeAsync(escalationId, operatorId, _time.GetUtcNow(), cancellationToken),
            AuditKinds.EscalationAcknowledge,
            operatorId,
            AuditDetail.Of(("escalationId", escalationId)),
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> ResolveAsync(string escalationId, string operatorId, string outcome, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(escalationId, nameof(escalationId));
        EscalationRows.CheckId(operatorId, nameof(operatorId));
        CheckOutcome(outcome);
        return AuditedAsync(
            _store.ResolveAsync(escalationId, operatorId, outcome, _time.GetUtcNow(), cancellationToken),
            AuditKinds.EscalationResolve,
            operatorId,
            AuditDetail.Of(("escalationId", escalationId), ("outcome", outcome)),
            cancellationToken);
    }

    private async ValueTask<bool> AuditedAsync(ValueTask<bool> change, string kind, string actor, string detail, CancellationToken cancellationToken)
    {
        bool changed = await change.ConfigureAwait(false);
        if (changed && _audit() is { } vault)
        {
            await vault.AuditAsync(kind, actor, detail, cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    /// <summary>Checks an outcome code: 1 to 64 letters, digits, '_' or '-'.</summary>
    /// <param name="outcome">The code.</param>
    /// <exception cref="ArgumentException">It is not a short code.</exception>
    internal static void CheckOutcome(string outcome)
    {
        if (string.IsNullOrEmpty(outcome) || outcome.Length > 64 || !outcome.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException("An outcome is a short code: 1 to 64 letters, digits, '_' or '-' (never free text about the user).", nameof(outcome));
        }
    }
}
