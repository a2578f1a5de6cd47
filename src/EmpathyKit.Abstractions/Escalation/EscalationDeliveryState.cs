namespace EmpathyKit;

/// <summary>Where one channel's delivery of an escalation stands.</summary>
public enum EscalationDeliveryState
{
    /// <summary>Not delivered yet; the worker tries again at <see cref="EscalationDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The channel accepted it.</summary>
    Delivered,

    /// <summary>The channel failed on every attempt allowed (<c>EmpathyKit:Escalations:MaxAttempts</c>); no more attempts.</summary>
    DeadLettered,
}
