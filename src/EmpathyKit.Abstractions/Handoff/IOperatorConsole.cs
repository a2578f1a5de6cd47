namespace EmpathyKit;

/// <summary>
/// What operators (people on the host's team) do with a pipeline's conversations: see the queue, claim a conversation,
/// read it, take it over, answer the user, hand it back to the bot and close it. Resolve it keyed by the pipeline's name,
/// or unkeyed for the first pipeline.
/// </summary>
/// <remarks>
/// <para>
/// Least privilege: an operator reads the decrypted text only of a conversation assigned to them (one they claimed or
/// hold); everyone else gets <see cref="OperatorAccessException"/>. The queue itself is content-free. Every read, claim,
/// takeover, reply, hand-back and close is in the transcript audit log with the operator's id.
/// </para>
/// <para>
/// The host authenticates the operator and passes who they are; the console does not know passwords or roles. A state
/// change that the conversation does not allow, or that lost a race with another operator, throws
/// <see cref="ConversationControlException"/>.
/// </para>
/// </remarks>
public interface IOperatorConsole
{
    /// <summary>
    /// Lists the conversations with an open escalation or an open request for a person, and those an operator holds:
    /// highest risk first, then oldest.
    /// </summary>
    /// <param name="limit">At most this many (1 to 1,000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The queue.</returns>
    ValueTask<IReadOnlyList<OperatorQueueItem>> GetQueueAsync(int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Reads a conversation's control state (content-free), or <see langword="null"/> when it never left the bot.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state.</returns>
    ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Assigns a queued conversation to the operator and acknowledges its open escalations in their name. Claiming one
    /// already assigned to the same operator changes nothing.
    /// </summary>
    /// <param name="operator">Who claims it.</param>
    /// <param name="conversationId">The conversation (it must be on the queue).</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="ConversationControlException">It is not on the queue, or another operator has it.</exception>
    ValueTask<ConversationControlState> ClaimAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Reads the conversation's transcript (decrypted; redacted unless the host keeps originals). Audited.</summary>
    /// <param name="operator">Who reads.</param>
    /// <param name="conversationId">A conversation assigned to them.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, oldest first, operator turns included.</returns>
    /// <exception cref="OperatorAccessException">The conversation is not assigned to this operator.</exception>
    ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the conversation over (claiming it first when nobody has): from now on the bot does not answer; the user's
    /// messages are still assessed for risk, stored and escalated, and reach the operator; the user is told "you are
    /// now talking with …".
    /// </summary>
    /// <param name="operator">Who takes it.</param>
    /// <param name="conversationId">A queued conversation, or one assigned to them.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="OperatorAccessException">Another operator has it.</exception>
    /// <exception cref="ConversationControlException">It is closed, or not on the queue and not theirs.</exception>
    ValueTask<ConversationControlState> TakeOverAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends the operator's reply to the user (<see cref="IConversationNotices"/>) and records it in the transcript as an
    /// operator turn with the operator's id (redacted like every stored text unless the host keeps originals).
    /// </summary>
    /// <param name="operator">Who writes.</param>
    /// <param name="conversationId">A conversation they hold.</param>
    /// <param name="text">The reply (sanitised like a user's message; 1 to <c>MaxMessageLength</c> characters).</param>
    /// <param name="cancellationToken">Cancels the reply before it is stored.</param>
    /// <returns>The entry as stored.</returns>
    /// <exception cref="ArgumentException">The reply is empty or too long.</exception>
    /// <exception cref="OperatorAccessException">They do not hold the conversation.</exception>
    ValueTask<TranscriptEntry> ReplyAsync(OperatorIdentity @operator, string conversationId, string text, CancellationToken cancellationToken = default);

    /// <summary>Returns the conversation to the bot, history intact; it stays assigned to the operator, who can still read it.</summary>
    /// <param name="operator">Who hands it back.</param>
    /// <param name="conversationId">A conversation they hold.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="OperatorAccessException">They do not hold the conversation.</exception>
    ValueTask<ConversationControlState> HandBackAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Closes the conversation with an outcome code and resolves its open escalations with it.</summary>
    /// <param name="operator">Who closes it.</param>
    /// <param name="conversationId">A conversation assigned to them.</param>
    /// <param name="outcome">A short code (1 to 64 letters, digits, '_' or '-'), never free text about the user.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="OperatorAccessException">The conversation is not assigned to them.</exception>
    ValueTask<ConversationControlState> CloseAsync(OperatorIdentity @operator, string conversationId, string outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the operator's feedback on one of the bot's replies in the conversation's transcript (encrypted, never shown
    /// to the user or the model; exported and erased with the subject). Audited with the verdict and rating, never the note.
    /// </summary>
    /// <param name="operator">Who gives it.</param>
    /// <param name="conversationId">A conversation assigned to them.</param>
    /// <param name="feedback">The verdict, an optional rating (1 to 5) and note (up to <see cref="ReplyFeedback.MaxNoteLength"/> characters).</param>
    /// <param name="cancellationToken">Cancels it before it is stored.</param>
    /// <returns>The entry as stored.</returns>
    /// <exception cref="ArgumentException">No bot reply of the conversation was written at <see cref="ReplyFeedback.ReplyAt"/>, or the rating or note is out of range.</exception>
    /// <exception cref="OperatorAccessException">The conversation is not assigned to them.</exception>
    ValueTask<TranscriptEntry> AddFeedbackAsync(OperatorIdentity @operator, string conversationId, ReplyFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>Streams operator events (escalations, requests for a person, control changes, user messages in held conversations) in process, from now on.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events as they happen (a watcher more than 1,024 behind loses the oldest).</returns>
    IAsyncEnumerable<OperatorEvent> WatchAsync(CancellationToken cancellationToken = default);
}
