namespace EmpathyKit;

/// <summary>What the user's side is told between turns.</summary>
public enum ConversationNoticeKind
{
    /// <summary>An operator took the conversation over; <see cref="ConversationNotice.Text"/> says so ("you are now talking with …").</summary>
    OperatorJoined,

    /// <summary>An operator's reply for the user.</summary>
    OperatorMessage,

    /// <summary>The operator handed the conversation back to the bot.</summary>
    HandedBack,

    /// <summary>The operator closed the conversation.</summary>
    Closed,
}

/// <summary>
/// A message for the user that does not answer a turn of theirs: an operator joined, wrote, handed back or closed.
/// Operator messages are also in the transcript (<see cref="TranscriptRole.Operator"/>), so a client that was away
/// reads them there.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Text">What to show the user.</param>
/// <param name="OperatorName">The operator's display name.</param>
/// <param name="At">When.</param>
public sealed record ConversationNotice(ConversationNoticeKind Kind, string ConversationId, string Text, string OperatorName, DateTimeOffset At);

/// <summary>
/// The user's side of a handed-over conversation: a live feed of <see cref="ConversationNotice"/>s for a conversation,
/// in process (a web host pushes them to the user's page with server-sent events or SignalR).
/// </summary>
public interface IConversationNotices
{
    /// <summary>
    /// Streams the conversation's notices from now until <paramref name="cancellationToken"/> is cancelled. A watcher that
    /// falls more than 256 notices behind loses the oldest (they stay in the transcript).
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The notices as they happen.</returns>
    IAsyncEnumerable<ConversationNotice> WatchAsync(string conversationId, CancellationToken cancellationToken = default);
}
