namespace EmpathyKit;

/// <summary>What a crisis detector assesses: the latest user message and the user's earlier turns as context.</summary>
/// <param name="Text">The message to assess (raw, not redacted).</param>
/// <param name="EarlierUserTurns">The same user's earlier messages in this conversation, oldest first.</param>
public sealed record CrisisInput(string Text, IReadOnlyList<string> EarlierUserTurns)
{
    /// <summary>Creates an input for a single message with no conversation context.</summary>
    /// <param name="text">The message.</param>
    /// <returns>The input.</returns>
    public static CrisisInput ForMessage(string text) => new(text, []);
}
