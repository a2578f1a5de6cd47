namespace EmpathyKit;

/// <summary>What a host gets back for one user message.</summary>
/// <param name="Text">The reply to show the user, disclaimers included.</param>
/// <param name="Status">How the turn ended.</param>
/// <param name="Report">Everything the pipeline decided about the turn.</param>
public sealed record SupportReply(string Text, SupportReplyStatus Status, TurnReport Report)
{
    /// <summary>Gets the crisis assessment of the user's message (<see cref="CrisisAssessment.NoRisk"/> when none ran).</summary>
    public CrisisAssessment Risk => Report.Crisis ?? CrisisAssessment.NoRisk;

    /// <summary>Gets the disclaimers shown with the reply.</summary>
    public IReadOnlyList<Disclaimer> Disclaimers => Report.Disclaimers;

    /// <summary>
    /// Gets where this turn's escalation stood when the reply was released (queued in the durable outbox, delivered to
    /// a channel, …), or <see langword="null"/> when the turn did not escalate. Later states are read from
    /// <see cref="IEscalationOutbox"/> by <see cref="EscalationRecord.EscalationId"/>.
    /// </summary>
    public EscalationStatus? EscalationStatus => Report.Escalation?.Status;

    /// <summary>Gets whether a channel had accepted this turn's escalation (a human was alerted) when the reply was released.</summary>
    public bool HumanAlerted => Report.Escalation?.HumanAlerted ?? false;
}
