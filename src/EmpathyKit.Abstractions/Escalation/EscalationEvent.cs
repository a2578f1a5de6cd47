namespace EmpathyKit;

/// <summary>An escalation to humans. It carries identifiers and the assessment, never message text.</summary>
/// <param name="EscalationId">A unique id, stable across retries of the same escalation.</param>
/// <param name="ConversationId">The conversation that escalated.</param>
/// <param name="Assessment">The crisis assessment that triggered it.</param>
/// <param name="OccurredAt">When the turn escalated.</param>
public sealed record EscalationEvent(string EscalationId, string ConversationId, CrisisAssessment Assessment, DateTimeOffset OccurredAt)
{
    /// <summary>
    /// Gets which raise this is: 0 for the first, 1 and up when nobody acknowledged the escalation in time and it is
    /// raised again (to the fallback handlers when there are any). A receiver deduplicates by id and this number.
    /// </summary>
    public int ReRaise { get; init; }
}
