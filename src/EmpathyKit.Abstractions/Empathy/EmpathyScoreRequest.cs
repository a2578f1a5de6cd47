namespace EmpathyKit;

/// <summary>A reply to score, with what it answers.</summary>
/// <param name="UserMessage">The user's message the reply answers (in-process only; a scorer must not log it).</param>
/// <param name="Reply">The bot's reply, without disclaimers.</param>
/// <param name="TurnIndex">Zero-based index of the user turn (advice in the first turns is an anti-pattern).</param>
/// <param name="PreviousReplies">The bot's earlier replies in the conversation, oldest first (for repetition); <see langword="null"/> for none.</param>
public sealed record EmpathyScoreRequest(string UserMessage, string Reply, int TurnIndex = 0, IReadOnlyList<string>? PreviousReplies = null);
