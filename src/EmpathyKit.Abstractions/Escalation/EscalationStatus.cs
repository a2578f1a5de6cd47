namespace EmpathyKit;

/// <summary>Where an escalation stands, from the turn that raised it to the person who closed it (docs/oversight.md).</summary>
public enum EscalationStatus
{
    /// <summary>Written to the durable outbox; no channel has accepted it yet (or none is configured: operators see it in the queue).</summary>
    Queued,

    /// <summary>At least one channel accepted it (a webhook receiver answered 2xx, a host handler returned). Nobody has acknowledged it yet.</summary>
    Delivered,

    /// <summary>A person acknowledged it (an operator, through <see cref="IEscalationOutbox.AcknowledgeAsync"/>).</summary>
    Acknowledged,

    /// <summary>A person closed it, with an outcome.</summary>
    Resolved,

    /// <summary>Every channel failed on each of its attempts; it stays in the outbox for operators, counted and logged.</summary>
    DeadLettered,

    /// <summary>The outbox could not be written, and no handler accepted the escalation when it was called directly.</summary>
    Undelivered,
}
