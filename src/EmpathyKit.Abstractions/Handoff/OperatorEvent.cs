namespace EmpathyKit;

/// <summary>What happened on the operators' side, pushed live to consoles (<see cref="IOperatorConsole.WatchAsync"/>).</summary>
public enum OperatorEventKind
{
    /// <summary>A turn escalated.</summary>
    Escalated,

    /// <summary>A user asked for a person.</summary>
    HumanRequested,

    /// <summary>A conversation's control state changed (claimed, taken over, handed back, closed).</summary>
    ControlChanged,

    /// <summary>A user wrote in a conversation an operator holds.</summary>
    UserMessage,
}

/// <summary>An event for operator consoles: identifiers, the state and the risk level, never message text.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="At">When.</param>
/// <param name="Control">The conversation's control state afterwards.</param>
/// <param name="Level">The turn's risk level (<see cref="RiskLevel.None"/> when no turn was involved).</param>
public sealed record OperatorEvent(OperatorEventKind Kind, string ConversationId, DateTimeOffset At, ConversationControl Control, RiskLevel Level)
{
    /// <summary>Gets the operator the conversation is assigned to, if any.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Gets the escalation's id, for <see cref="OperatorEventKind.Escalated"/>.</summary>
    public string? EscalationId { get; init; }
}
