namespace EmpathyKit;

/// <summary>What a store-level key protects.</summary>
public enum TranscriptKeyKind
{
    /// <summary>A master key: wraps subject data keys. Rotates.</summary>
    Master = 1,

    /// <summary>The index key: derives the pseudonym and integrity (checkpoint and audit) keys. Never rotates.</summary>
    Index = 2,
}

/// <summary>A store-level key as persisted: wrapped by the root key provider, never in the clear.</summary>
/// <param name="Id">The key id.</param>
/// <param name="Kind">What the key protects.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ActivatesAt">When it becomes the key for new data.</param>
/// <param name="ExpiresAt">When it stops wrapping new data (it still unwraps until revoked or destroyed).</param>
/// <param name="RevokedAt">When it was revoked (it no longer unwraps), if it was.</param>
/// <param name="DestroyedAt">When its wrapped bytes were destroyed, if they were.</param>
/// <param name="RootKeyId">The id of the root key that wrapped it.</param>
/// <param name="WrappedKey">The wrapped key bytes; empty once destroyed.</param>
public sealed record StoredKey(
    Guid Id,
    TranscriptKeyKind Kind,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? DestroyedAt,
    string RootKeyId,
    ReadOnlyMemory<byte> WrappedKey);

/// <summary>A data subject's data key as persisted, wrapped by a master key. Deleting it crypto-shreds the subject.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="KeyId">The data key's id (a new one after an erasure).</param>
/// <param name="MasterKeyId">The master key that wraps it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="WrappedKey">The wrapped key.</param>
public sealed record StoredSubjectKey(string Tenant, string Subject, Guid KeyId, Guid MasterKeyId, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> WrappedKey);

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

/// <summary>A sealed transcript record as persisted (the payload is the versioned, encrypted record).</summary>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="Sequence">The record's place in its conversation, from 0.</param>
/// <param name="CreatedAt">When it was written (bound into the ciphertext).</param>
/// <param name="ExpiresAt">When retention ends (bound into the ciphertext).</param>
/// <param name="PreviousHash">The chain hash of the record before it (bound into the ciphertext).</param>
/// <param name="Payload">The sealed record bytes.</param>
public sealed record StoredRecord(string Conversation, long Sequence, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, ReadOnlyMemory<byte> PreviousHash, ReadOnlyMemory<byte> Payload);

/// <summary>The plaintext-free fact that a subject was erased.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="ErasureId">The erasure's id (also in the audit log's certificate).</param>
/// <param name="ErasedAt">When.</param>
public sealed record Tombstone(string Tenant, string Subject, Guid ErasureId, DateTimeOffset ErasedAt);

/// <summary>What an erasure removed.</summary>
/// <param name="Conversations">Conversations removed.</param>
/// <param name="Records">Records removed.</param>
/// <param name="KeyDestroyed">Whether a data key existed and was destroyed.</param>
public sealed record ErasureCounts(int Conversations, long Records, bool KeyDestroyed);

/// <summary>A conversation with records past their retention, up to and including <paramref name="ThroughSequence"/>.</summary>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="ThroughSequence">The highest expired sequence number.</param>
public sealed record ExpiredRange(string Conversation, long ThroughSequence);

/// <summary>One conversation's append: the store calls <see cref="Seal"/> with the locked head and writes what it returns.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="SubjectKeyId">The data key the records are sealed under; the store refuses the append if the subject's key is no longer this one (an erasure came first).</param>
/// <param name="Seal">Seals the records after the given head (<see langword="null"/> for a new conversation); pure CPU, called inside the store's transaction.</param>
/// <param name="Audit">The audit entry to write with it.</param>
public sealed record TranscriptAppendBatch(string Tenant, string Subject, string Conversation, Guid SubjectKeyId, Func<ConversationHead?, SealedAppend> Seal, AuditDraft Audit);

/// <summary>What <see cref="TranscriptAppendBatch.Seal"/> returns: the new head and the records to insert.</summary>
/// <param name="Head">The conversation's new head.</param>
/// <param name="Records">The sealed records.</param>
public sealed record SealedAppend(ConversationHead Head, IReadOnlyList<StoredRecord> Records);
