namespace EmpathyKit.Escalation.Storage;

/// <summary>What <see cref="IEscalationStore.EraseConversationsAsync"/> did.</summary>
/// <param name="Erased">Escalations deleted with their deliveries.</param>
/// <param name="AwaitingDelivery">Escalations kept until a pending delivery finishes, then deleted.</param>
public sealed record EscalationErasure(int Erased, int AwaitingDelivery)
{
    /// <summary>Gets nothing erased.</summary>
    public static EscalationErasure None { get; } = new(0, 0);
}
