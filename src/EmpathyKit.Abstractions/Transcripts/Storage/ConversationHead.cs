namespace EmpathyKit.Transcripts.Storage;

/// <summary>
/// The head of a conversation's hash chain with its keyed checkpoint: where the chain starts after purges, where it
/// ends now, and a MAC over both so a truncation or rollback of the tail is detected.
/// </summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym (the owner).</param>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="BaseSequence">The sequence number of the first record still held.</param>
/// <param name="BaseHash">The chain hash before the first record still held (zeros for a new conversation).</param>
/// <param name="NextSequence">The sequence number the next record gets.</param>
/// <param name="LastHash">The chain hash of the last record.</param>
/// <param name="Checkpoint">HMAC-SHA256 over all of the above under the store's integrity key.</param>
/// <param name="SealedLabel">The raw conversation id, encrypted under the subject's data key (for listing and export).</param>
/// <param name="CreatedAt">When the conversation was first written.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record ConversationHead(
    string Tenant,
    string Subject,
    string Conversation,
    long BaseSequence,
    ReadOnlyMemory<byte> BaseHash,
    long NextSequence,
    ReadOnlyMemory<byte> LastHash,
    ReadOnlyMemory<byte> Checkpoint,
    ReadOnlyMemory<byte> SealedLabel,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
