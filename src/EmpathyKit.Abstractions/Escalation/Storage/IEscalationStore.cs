namespace EmpathyKit.Escalation.Storage;

/// <summary>
/// Persists the escalation outbox (the built-in stores keep it in the transcripts' database). Writes must be durable
/// when their task completes: an escalation added is never lost by a crash after that. Several processes may share
/// one store; leases keep two workers from calling the same channel for the same escalation at once, and a lease that
/// expires (its worker died) makes the delivery due again, so delivery is at least once.
/// </summary>
public interface IEscalationStore
{
    /// <summary>Adds an escalation with its pending deliveries.</summary>
    /// <param name="entry">The escalation; its deliveries are all pending.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when an escalation with that id exists (nothing changes).</returns>
    ValueTask<bool> AddAsync(EscalationEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> pending deliveries that are due (next attempt at or before
    /// <paramref name="now"/>, no unexpired lease), oldest due first, until <paramref name="now"/> + <paramref name="duration"/>.
    /// </summary>
    /// <param name="now">The worker's clock.</param>
    /// <param name="duration">How long the lease holds.</param>
    /// <param name="max">At most this many.</param>
    /// <param name="cancellationToken">Cancels the lease.</param>
    /// <returns>The leases.</returns>
    ValueTask<IReadOnlyList<DeliveryLease>> LeaseDueAsync(DateTimeOffset now, TimeSpan duration, int max, CancellationToken cancellationToken = default);

    /// <summary>Records the outcome of a leased delivery and releases the lease, if the lease still holds.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="outcome">The delivery after the attempt (state, attempts, next attempt, delivered at, last error).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the lease was lost (it expired and another worker took it): nothing changes.</returns>
    ValueTask<bool> CompleteAsync(DeliveryLease lease, EscalationDelivery outcome, CancellationToken cancellationToken = default);

    /// <summary>Gets when the next pending delivery is due (its next attempt, or its lease's end if later).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The time, or <see langword="null"/> when nothing is pending.</returns>
    ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads one escalation.</summary>
    /// <param name="escalationId">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The escalation, or <see langword="null"/>.</returns>
    ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default);

    /// <summary>Lists escalations, newest first (by <see cref="EscalationEntry.OccurredAt"/>, then id).</summary>
    /// <param name="openOnly">Only those not resolved.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The escalations.</returns>
    ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises again the escalations nobody acknowledged in time, in one transaction: each open, unacknowledged
    /// escalation raised again fewer than <paramref name="maxReRaises"/> times, whose last raise (its
    /// <see cref="EscalationEntry.OccurredAt"/>, then its <see cref="EscalationEntry.LastReRaisedAt"/>) is at or before
    /// <paramref name="now"/> − <paramref name="after"/>, gets <see cref="EscalationEntry.ReRaises"/> + 1,
    /// <see cref="EscalationEntry.LastReRaisedAt"/> = <paramref name="now"/>, and one pending delivery per channel, named
    /// <c>channel@n</c> (n the new count), due now.
    /// </summary>
    /// <param name="now">The worker's clock.</param>
    /// <param name="after">How long an escalation may go unacknowledged.</param>
    /// <param name="maxReRaises">How many times one escalation is raised again at most.</param>
    /// <param name="channels">The channels a re-raise goes to.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The escalations raised again, as they are now.</returns>
    ValueTask<IReadOnlyList<EscalationEntry>> ReRaiseDueAsync(DateTimeOffset now, TimeSpan after, int maxReRaises, IReadOnlyList<string> channels, CancellationToken cancellationToken = default);

    /// <summary>Sets the acknowledgement if none is set and the escalation is not resolved.</summary>
    /// <param name="escalationId">The id.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this call set it.</returns>
    ValueTask<bool> AcknowledgeAsync(string escalationId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Sets the resolution if none is set (and the acknowledgement, if none is set).</summary>
    /// <param name="escalationId">The id.</param>
    /// <param name="actor">Who.</param>
    /// <param name="outcome">The outcome code.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this call set it.</returns>
    ValueTask<bool> ResolveAsync(string escalationId, string actor, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the escalations of conversations whose subject was erased, in one transaction. An escalation whose
    /// deliveries are all finished (delivered or dead-lettered) is deleted with its deliveries. One that still has a
    /// delivery pending is kept until that delivery finishes, so an alert already raised for a person at risk still
    /// reaches a human: it is marked (<see cref="EscalationEntry.ErasureRequestedAt"/> = <paramref name="now"/>), is
    /// never raised again, and <see cref="CompleteAsync"/> deletes it when its last pending delivery finishes.
    /// </summary>
    /// <param name="conversationIds">The conversations (at most <see cref="MaxErasureBatch"/>).</param>
    /// <param name="now">When the erasure was asked for.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were deleted and how many wait for their deliveries.</returns>
    ValueTask<EscalationErasure> EraseConversationsAsync(IReadOnlyCollection<string> conversationIds, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The most conversations one <see cref="EraseConversationsAsync"/> call takes (callers page through more).</summary>
    public const int MaxErasureBatch = 500;
}
