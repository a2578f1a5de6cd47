namespace EmpathyKit.Transcripts.Storage;

/// <summary>
/// Storage for the encrypted transcript: keys (wrapped), subject data keys (wrapped), conversation heads, sealed
/// records, tombstones and the audit log. Implement it to keep transcripts in your own database and run the
/// conformance suite against it; encryption, chaining and pseudonyms happen before data reaches the store.
/// </summary>
/// <remarks>
/// Every method is thread-safe, and safe across processes sharing one database. Ids are pseudonyms (opaque strings).
/// Methods that take an <see cref="IAuditSealer"/> write their audit entry in the same transaction: take the audit
/// log's write lock, read its last entry, call the sealer, insert the result.
/// </remarks>
public interface ITranscriptStore
{
    /// <summary>Reads every store-level key (master and index keys).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a key unless one with its id, or another <see cref="TranscriptKeyKind.Index"/> key, exists.</summary>
    /// <param name="key">The key.</param>
    /// <param name="audit">The audit entry to write with it.</param>
    /// <param name="sealer">Chains the audit entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when added.</returns>
    ValueTask<bool> TryAddKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>Replaces a key's record (revocation, destruction, re-wrapping under a new root key).</summary>
    /// <param name="key">The key's new state.</param>
    /// <param name="audit">The audit entry to write with it.</param>
    /// <param name="sealer">Chains the audit entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when it is durable.</returns>
    ValueTask UpdateKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>Reads a subject's data key.</summary>
    /// <param name="tenant">The tenant pseudonym.</param>
    /// <param name="subject">The subject pseudonym.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The key, or <see langword="null"/> if the subject has none (never written, or erased).</returns>
    ValueTask<StoredSubjectKey?> GetSubjectKeyAsync(string tenant, string subject, CancellationToken cancellationToken = default);

    /// <summary>Adds a subject's data key unless the subject has one; returns the one that is stored.</summary>
    /// <param name="candidate">The new key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><paramref name="candidate"/>, or the key another writer stored first.</returns>
    ValueTask<StoredSubjectKey> GetOrAddSubjectKeyAsync(StoredSubjectKey candidate, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="maxKeys"/> subject keys wrapped by a master key.</summary>
    /// <param name="masterKeyId">The master key.</param>
    /// <param name="maxKeys">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    ValueTask<IReadOnlyList<StoredSubjectKey>> GetSubjectKeysWrappedByAsync(Guid masterKeyId, int maxKeys, CancellationToken cancellationToken = default);

    /// <summary>Replaces a subject key's wrapping if it is still the same key wrapped by <paramref name="expectedMasterKeyId"/>.</summary>
    /// <param name="rewrapped">The key wrapped anew.</param>
    /// <param name="expectedMasterKeyId">The master key it was wrapped by.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the key changed or was erased meanwhile.</returns>
    ValueTask<bool> TryReplaceSubjectKeyAsync(StoredSubjectKey rewrapped, Guid expectedMasterKeyId, CancellationToken cancellationToken = default);

    /// <summary>Reads a conversation's head.</summary>
    /// <param name="conversation">The conversation pseudonym.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head, or <see langword="null"/> for an unknown conversation.</returns>
    ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default);

    /// <summary>Reads the heads of a subject's conversations, oldest first.</summary>
    /// <param name="tenant">The tenant pseudonym.</param>
    /// <param name="subject">The subject pseudonym.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The heads.</returns>
    ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default);

    /// <summary>Reads the pseudonyms of every conversation, in a stable order, after <paramref name="after"/>.</summary>
    /// <param name="after">The last pseudonym of the previous page, or <see langword="null"/> to start.</param>
    /// <param name="maxConversations">The page size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The next page; empty at the end.</returns>
    ValueTask<IReadOnlyList<string>> ListConversationsAsync(string? after, int maxConversations, CancellationToken cancellationToken = default);

    /// <summary>Reads a conversation's records in sequence order, starting at <paramref name="fromSequence"/>.</summary>
    /// <param name="conversation">The conversation pseudonym.</param>
    /// <param name="fromSequence">The first sequence number wanted.</param>
    /// <param name="maxRecords">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends to one or more conversations in one transaction (all or none). For each batch: lock the conversation's
    /// head, check that the subject's data key is still <see cref="TranscriptAppendBatch.SubjectKeyId"/>, call
    /// <see cref="TranscriptAppendBatch.Seal"/> with the head, write the new head and records, and chain the audit entry.
    /// </summary>
    /// <param name="batches">The appends.</param>
    /// <param name="sealer">Chains the audit entries.</param>
    /// <param name="cancellationToken">Cancels the write before it commits.</param>
    /// <returns>A task that completes when the appends are durable.</returns>
    /// <exception cref="TranscriptAccessException">A batch's subject key is gone or different (nothing was written).</exception>
    ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases a subject in one transaction: deletes its data key, its conversations and their records, writes the
    /// tombstone and the audit entry; then makes sure the deleted bytes are overwritten where the store can.
    /// </summary>
    /// <param name="tombstone">The tombstone to write.</param>
    /// <param name="audit">Builds the audit entry from what was removed.</param>
    /// <param name="sealer">Chains the audit entry.</param>
    /// <param name="cancellationToken">Cancels the erasure before it commits.</param>
    /// <returns>What was removed.</returns>
    ValueTask<ErasureCounts> EraseSubjectAsync(Tombstone tombstone, Func<ErasureCounts, AuditDraft> audit, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>Reads a subject's tombstones.</summary>
    /// <param name="tenant">The tenant pseudonym.</param>
    /// <param name="subject">The subject pseudonym.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tombstones, oldest first.</returns>
    ValueTask<IReadOnlyList<Tombstone>> GetTombstonesAsync(string tenant, string subject, CancellationToken cancellationToken = default);

    /// <summary>Finds conversations holding records whose expiry is at or before <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxConversations">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>For each, the highest expired sequence number.</returns>
    ValueTask<IReadOnlyList<ExpiredRange>> FindExpiredAsync(DateTimeOffset now, int maxConversations, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a conversation's records up to and including <paramref name="throughSequence"/> in one transaction and
    /// moves the head's base past them: <paramref name="rebase"/> receives the locked head, the new base sequence and
    /// the chain hash before it, and returns the head to store.
    /// </summary>
    /// <param name="conversation">The conversation pseudonym.</param>
    /// <param name="throughSequence">The last sequence number to delete.</param>
    /// <param name="rebase">Builds the new head (with its checkpoint).</param>
    /// <param name="audit">The audit entry.</param>
    /// <param name="sealer">Chains the audit entry.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>How many records were deleted.</returns>
    ValueTask<long> PurgeAsync(string conversation, long throughSequence, Func<ConversationHead, long, ReadOnlyMemory<byte>, ConversationHead> rebase, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>Appends an entry to the audit log.</summary>
    /// <param name="audit">The entry.</param>
    /// <param name="sealer">Chains it.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The chained entry.</returns>
    ValueTask<AuditEntry> AppendAuditAsync(AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit log in order from <paramref name="fromSequence"/>.</summary>
    /// <param name="fromSequence">The first sequence number wanted.</param>
    /// <param name="maxEntries">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default);
}
