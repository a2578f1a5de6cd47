namespace EmpathyKit;

/// <summary>
/// A conversation's control state as the oversight store keeps it: identifiers, the state and the operator, never
/// message text.
/// </summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Tenant">The conversation's transcript tenant (where its transcript is read and written).</param>
/// <param name="Control">Who answers.</param>
/// <param name="ChangedAt">When the state last changed.</param>
public sealed record ConversationControlState(string ConversationId, string Tenant, ConversationControl Control, DateTimeOffset ChangedAt)
{
    /// <summary>Gets the operator the conversation is assigned to (who claimed it or holds it), if any.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Gets the display name the user is shown for <see cref="AssignedTo"/> while they hold the conversation.</summary>
    public string? OperatorName { get; init; }

    /// <summary>Gets when the user asked for a person, while that request is open.</summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>Gets the outcome code the conversation was closed with.</summary>
    public string? Outcome { get; init; }

    /// <summary>Gets the row's version: 0 before it is first stored, then one more with each change (optimistic concurrency).</summary>
    public long Version { get; init; }

    /// <summary>Gets the operator holding the conversation, when <see cref="Control"/> is <see cref="ConversationControl.Human"/>.</summary>
    public string? HeldBy => Control == ConversationControl.Human ? AssignedTo : null;
}
