namespace EmpathyKit;

/// <summary>
/// The turnkey façade for hosts: send a user's message for a conversation, get the reply, the risk assessment, the
/// disclaimers shown and whether a human was alerted. History is kept in the encrypted transcript.
/// </summary>
/// <remarks>
/// Bad input never throws: empty, over-long and control-character-laden messages get a clear status and a safe reply,
/// and a failing pipeline yields <see cref="SupportReplyStatus.Failed"/> with a safe reply. Only a missing or malformed
/// conversation id (a programming error) throws <see cref="ArgumentException"/>.
/// </remarks>
public interface ISupportChat
{
    /// <summary>Sends one user message and returns the whole reply.</summary>
    /// <param name="conversationId">The conversation (1–128 printable characters).</param>
    /// <param name="message">The user's message.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The reply and the turn's report.</returns>
    Task<SupportReply> SendAsync(string conversationId, string message, CancellationToken cancellationToken = default);

    /// <summary>Sends one user message and streams the reply; the last update carries the completed reply.</summary>
    /// <param name="conversationId">The conversation (1–128 printable characters).</param>
    /// <param name="message">The user's message.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The reply's pieces, then the completed reply.</returns>
    IAsyncEnumerable<SupportReplyUpdate> StreamAsync(string conversationId, string message, CancellationToken cancellationToken = default);

    /// <summary>Sends one user message with per-turn settings (such as the user's country) and returns the whole reply.</summary>
    /// <param name="conversationId">The conversation (1–128 printable characters).</param>
    /// <param name="message">The user's message.</param>
    /// <param name="turn">Per-turn settings; <see langword="null"/> for the pipeline's defaults.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The reply and the turn's report.</returns>
    Task<SupportReply> SendAsync(string conversationId, string message, SupportTurnOptions? turn, CancellationToken cancellationToken = default);

    /// <summary>Sends one user message with per-turn settings and streams the reply; the last update carries the completed reply.</summary>
    /// <param name="conversationId">The conversation (1–128 printable characters).</param>
    /// <param name="message">The user's message.</param>
    /// <param name="turn">Per-turn settings; <see langword="null"/> for the pipeline's defaults.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The reply's pieces, then the completed reply.</returns>
    IAsyncEnumerable<SupportReplyUpdate> StreamAsync(string conversationId, string message, SupportTurnOptions? turn, CancellationToken cancellationToken = default);
}
