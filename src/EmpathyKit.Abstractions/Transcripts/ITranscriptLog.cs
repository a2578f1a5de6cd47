namespace EmpathyKit;

/// <summary>
/// The encrypted transcript of conversations: what the pipeline and hosts use. Entries are encrypted before they reach
/// an <see cref="ITranscriptStore"/>, so no storage provider ever sees plaintext.
/// </summary>
public interface ITranscriptLog
{
    /// <summary>Appends entries to a conversation, in order, atomically.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="entries">The entries to append.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the entries are durable in the store.</returns>
    ValueTask AppendAsync(string conversationId, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads the most recent entries of a conversation, oldest first.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="maxEntries">How many of the latest entries to return at most.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, oldest first.</returns>
    ValueTask<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationId, int maxEntries, CancellationToken cancellationToken = default);
}
