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

    /// <summary>Gets whether a human was alerted about this turn.</summary>
    public bool HumanAlerted => Report.Escalation?.HumanAlerted ?? false;
}
