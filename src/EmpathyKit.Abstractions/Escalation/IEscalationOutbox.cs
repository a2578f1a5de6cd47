namespace EmpathyKit;

/// <summary>
/// The durable escalation outbox, as hosts and operators read it: every escalation a pipeline raised, its deliveries,
/// and the people who acknowledged and resolved it. Entries hold ids and assessments, never message text.
/// </summary>
public interface IEscalationOutbox
{
    /// <summary>Reads one escalation.</summary>
    /// <param name="escalationId">The escalation's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The escalation, or <see langword="null"/> when the outbox has none with that id.</returns>
    ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default);

    /// <summary>Lists escalations, newest first.</summary>
    /// <param name="openOnly">Only those nobody has resolved.</param>
    /// <param name="limit">At most this many (1 to 1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The escalations.</returns>
    ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly = true, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Records that a person has seen the escalation and is acting on it; this stops it being raised again.</summary>
    /// <param name="escalationId">The escalation's id.</param>
    /// <param name="operatorId">Who acknowledged it (1 to 128 characters).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when this call acknowledged it; <see langword="false"/> when it was already acknowledged or resolved, or does not exist.</returns>
    ValueTask<bool> AcknowledgeAsync(string escalationId, string operatorId, CancellationToken cancellationToken = default);

    /// <summary>Closes the escalation with an outcome (it counts as acknowledged too, if nobody had).</summary>
    /// <param name="escalationId">The escalation's id.</param>
    /// <param name="operatorId">Who resolved it (1 to 128 characters).</param>
    /// <param name="outcome">A short outcome code (1 to 64 letters, digits, <c>_</c> or <c>-</c>), never free text about the user.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when this call resolved it; <see langword="false"/> when it was already resolved or does not exist.</returns>
    ValueTask<bool> ResolveAsync(string escalationId, string operatorId, string outcome, CancellationToken cancellationToken = default);
}
