namespace EmpathyKit;

/// <summary>One channel's delivery of an escalation: a handler, such as a webhook or a pager.</summary>
/// <param name="Channel">The channel's name (see <see cref="IEscalationHandler"/>; the handler's type name, numbered when several share a type).</param>
/// <param name="State">Where the delivery stands.</param>
/// <param name="Attempts">How many times the channel was called for it.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried next.</param>
/// <param name="DeliveredAt">When the channel accepted it, or <see langword="null"/>.</param>
/// <param name="LastError">The type name of the last failure (never a message or content), or <see langword="null"/>.</param>
public sealed record EscalationDelivery(string Channel, EscalationDeliveryState State, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError);
