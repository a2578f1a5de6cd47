namespace EmpathyKit;

/// <summary>Why a conversation is on the operators' queue.</summary>
public enum OperatorQueueReason
{
    /// <summary>A turn reached the escalation level (see <see cref="EscalationEntry"/>).</summary>
    Escalation,

    /// <summary>The user asked for a person.</summary>
    HumanRequested,
}

/// <summary>
/// One conversation waiting for, or held by, an operator: the risk and the reason first, never the text (the operator
/// reads that with <see cref="IOperatorConsole.ReadConversationAsync"/> once it is theirs).
/// </summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Reason">Why it is on the queue (an escalation wins over a request for a person).</param>
/// <param name="Since">When it was put on the queue (the open escalation's time, or the request's).</param>
/// <param name="Control">Its control state.</param>
public sealed record OperatorQueueItem(string ConversationId, OperatorQueueReason Reason, DateTimeOffset Since, ConversationControl Control)
{
    /// <summary>Gets the highest open escalation's assessment (level, rung, categories, signals), if any.</summary>
    public CrisisAssessment? Assessment { get; init; }

    /// <summary>Gets the newest open escalation's id, if any.</summary>
    public string? EscalationId { get; init; }

    /// <summary>Gets where that escalation stands, if there is one.</summary>
    public EscalationStatus? EscalationStatus { get; init; }

    /// <summary>Gets the operator the conversation is assigned to, if any.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Gets the risk level to sort and show by (<see cref="RiskLevel.None"/> for a request without an escalation).</summary>
    public RiskLevel Level => Assessment?.Level ?? RiskLevel.None;
}
