namespace EmpathyKit;

/// <summary>What happened when a turn escalated, as the turn's reply was released.</summary>
/// <param name="EscalationId">The escalation's id; read its later states from <see cref="IEscalationOutbox"/>.</param>
/// <param name="Status">Where it stood when the reply was released: usually <see cref="EscalationStatus.Queued"/> or <see cref="EscalationStatus.Delivered"/>.</param>
/// <param name="HandlersSucceeded">How many channels had accepted it by then.</param>
/// <param name="HandlersFailed">How many channels had failed an attempt by then (they are retried unless the outbox could not be written).</param>
public sealed record EscalationRecord(string EscalationId, EscalationStatus Status, int HandlersSucceeded, int HandlersFailed)
{
    /// <summary>Gets whether a channel had accepted the escalation, i.e. a human was alerted, when the reply was released.</summary>
    public bool HumanAlerted => Status is EscalationStatus.Delivered or EscalationStatus.Acknowledged or EscalationStatus.Resolved;
}
