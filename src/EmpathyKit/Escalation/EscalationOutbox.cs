using EmpathyKit.Escalation.Storage;

namespace EmpathyKit;

/// <summary>A pipeline's durable escalation outbox as hosts and operators read it (see <see cref="IEscalationOutbox"/>).</summary>
internal sealed class EscalationOutbox : IEscalationOutbox
{
    private readonly IEscalationStore _store;
    private readonly TimeProvider _time;

    public EscalationOutbox(IEscalationStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
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
        return _store.AcknowledgeAsync(escalationId, operatorId, _time.GetUtcNow(), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> ResolveAsync(string escalationId, string operatorId, string outcome, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(escalationId, nameof(escalationId));
        EscalationRows.CheckId(operatorId, nameof(operatorId));
        CheckOutcome(outcome);
        return _store.ResolveAsync(escalationId, operatorId, outcome, _time.GetUtcNow(), cancellationToken);
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
