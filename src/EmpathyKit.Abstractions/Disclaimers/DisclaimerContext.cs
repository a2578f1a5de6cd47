namespace EmpathyKit;

/// <summary>What a disclaimer policy knows about a turn.</summary>
/// <param name="TurnIndex">Zero-based index of the user turn in the conversation.</param>
/// <param name="Risk">The crisis level assessed for the user's message.</param>
/// <param name="UserText">The user's message (in-process only; a policy must not log it).</param>
/// <param name="Country">The conversation's country, if known (otherwise the pipeline's option applies).</param>
public sealed record DisclaimerContext(int TurnIndex, RiskLevel Risk, string UserText, string? Country = null);
