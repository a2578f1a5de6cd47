namespace EmpathyKit;

/// <summary>What an output guard knows about the turn a reply answers.</summary>
/// <param name="TurnIndex">Zero-based index of the user turn in the conversation.</param>
/// <param name="Risk">The crisis level assessed for the user's message.</param>
public sealed record GuardContext(int TurnIndex, RiskLevel Risk);
