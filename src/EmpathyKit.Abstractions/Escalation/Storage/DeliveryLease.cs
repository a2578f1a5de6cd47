namespace EmpathyKit.Escalation.Storage;

/// <summary>A worker's hold on one channel's delivery of one escalation.</summary>
/// <param name="Escalation">The escalation (with its deliveries as they were when leased).</param>
/// <param name="Channel">The channel to call.</param>
/// <param name="Attempts">How many attempts the delivery had before this one.</param>
/// <param name="LeaseId">The lease's id: only its holder can complete the delivery.</param>
/// <param name="LeasedUntil">When the lease ends and the delivery is due again if not completed.</param>
public sealed record DeliveryLease(EscalationEntry Escalation, string Channel, int Attempts, Guid LeaseId, DateTimeOffset LeasedUntil);
