namespace EmpathyKit;

/// <summary>
/// An escalation as the durable outbox keeps it: ids, the assessment (level, rung, categories, signals and constructs,
/// never message text), each channel's delivery, and what people did with it.
/// </summary>
/// <param name="EscalationId">The escalation's id (also the webhook's idempotency key).</param>
/// <param name="ConversationId">The conversation that escalated.</param>
/// <param name="OccurredAt">When the turn escalated.</param>
/// <param name="Assessment">The assessment that raised it.</param>
/// <param name="Deliveries">One delivery per channel, in the order the channels were registered.</param>
public sealed record EscalationEntry(string EscalationId, string ConversationId, DateTimeOffset OccurredAt, CrisisAssessment Assessment, IReadOnlyList<EscalationDelivery> Deliveries)
{
    /// <summary>Gets when a person acknowledged it, or <see langword="null"/>.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Gets the id of the person who acknowledged it, or <see langword="null"/>.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>Gets when a person resolved it, or <see langword="null"/>.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Gets the id of the person who resolved it, or <see langword="null"/>.</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>Gets the outcome recorded when it was resolved (a short code such as <c>referred</c>, never free text about the user), or <see langword="null"/>.</summary>
    public string? Outcome { get; init; }

    /// <summary>Gets where it stands: resolved, acknowledged, delivered (a channel accepted it), dead-lettered (every channel gave up) or queued.</summary>
    public EscalationStatus Status =>
        ResolvedAt is not null ? EscalationStatus.Resolved
        : AcknowledgedAt is not null ? EscalationStatus.Acknowledged
        : Deliveries.Any(d => d.State == EscalationDeliveryState.Delivered) ? EscalationStatus.Delivered
        : Deliveries.Count > 0 && Deliveries.All(d => d.State == EscalationDeliveryState.DeadLettered) ? EscalationStatus.DeadLettered
        : EscalationStatus.Queued;

    /// <summary>Gets how many times it was raised again because nobody acknowledged it in time (<c>EmpathyKit:Escalations:AcknowledgeWithin</c>).</summary>
    public int ReRaises { get; init; }

    /// <summary>Gets when it was last raised again, or <see langword="null"/> when it never was.</summary>
    public DateTimeOffset? LastReRaisedAt { get; init; }

    /// <summary>
    /// Gets when the conversation's subject was erased while a delivery of this escalation was still pending, or
    /// <see langword="null"/>. Such an escalation is kept only until its pending deliveries finish (so the alert still
    /// reaches a human), is never raised again, and is left out of the operators' queue.
    /// </summary>
    public DateTimeOffset? ErasureRequestedAt { get; init; }

    /// <summary>Gets whether nobody has resolved it yet.</summary>
    public bool IsOpen => ResolvedAt is null;
}
