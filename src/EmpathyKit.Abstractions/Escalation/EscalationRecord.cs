namespace EmpathyKit;

/// <summary>What happened when a turn escalated.</summary>
/// <param name="EscalationId">The escalation's id.</param>
/// <param name="HandlersSucceeded">How many handlers accepted the escalation.</param>
/// <param name="HandlersFailed">How many handlers threw.</param>
public sealed record EscalationRecord(string EscalationId, int HandlersSucceeded, int HandlersFailed)
{
    /// <summary>Gets whether at least one handler accepted the escalation, i.e. a human was alerted.</summary>
    public bool HumanAlerted => HandlersSucceeded > 0;
}
