namespace EmpathyKit;

/// <summary>
/// Storage for sealed transcript records. Implement this to keep transcripts in your own database; encryption is done
/// before records reach the store, so a store only ever holds ciphertext.
/// </summary>
/// <remarks>
/// Conversation keys are opaque keys chosen by the transcript log, not raw user ids.
/// Implementations are thread-safe and keep records of a conversation in append order.
/// </remarks>
public interface ITranscriptStore
{
    /// <summary>Appends records to a conversation atomically (all or none), after any already there.</summary>
    /// <param name="conversationKey">The conversation's storage key.</param>
    /// <param name="records">The records, in order.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>A task that completes when the records are durable.</returns>
    ValueTask AppendAsync(string conversationKey, IReadOnlyList<SealedRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads the latest records of a conversation, oldest first.</summary>
    /// <param name="conversationKey">The conversation's storage key.</param>
    /// <param name="maxRecords">How many of the latest records to return at most.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records in append order.</returns>
    ValueTask<IReadOnlyList<SealedRecord>> ReadAsync(string conversationKey, int maxRecords, CancellationToken cancellationToken = default);
}
