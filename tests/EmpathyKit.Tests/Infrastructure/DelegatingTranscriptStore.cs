using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>A store that passes every call to another; tests override the calls they observe or break.</summary>
internal abstract class DelegatingTranscriptStore(ITranscriptStore inner) : ITranscriptStore
{
    protected ITranscriptStore Inner { get; } = inner;

    public virtual ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.AppendAsync(batches, sealer, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default) => Inner.GetKeysAsync(cancellationToken);

    public virtual ValueTask<bool> TryAddKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.TryAddKeyAsync(key, audit, sealer, cancellationToken);

    public virtual ValueTask UpdateKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.UpdateKeyAsync(key, audit, sealer, cancellationToken);

    public virtual ValueTask<StoredSubjectKey?> GetSubjectKeyAsync(string tenant, string subject, CancellationToken cancellationToken = default) => Inner.GetSubjectKeyAsync(tenant, subject, cancellationToken);

    public virtual ValueTask<StoredSubjectKey> GetOrAddSubjectKeyAsync(StoredSubjectKey candidate, CancellationToken cancellationToken = default) => Inner.GetOrAddSubjectKeyAsync(candidate, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredSubjectKey>> GetSubjectKeysWrappedByAsync(Guid masterKeyId, int maxKeys, CancellationToken cancellationToken = default) => Inner.GetSubjectKeysWrappedByAsync(masterKeyId, maxKeys, cancellationToken);

    public virtual ValueTask<bool> TryReplaceSubjectKeyAsync(StoredSubjectKey rewrapped, Guid expectedMasterKeyId, CancellationToken cancellationToken = default) => Inner.TryReplaceSubjectKeyAsync(rewrapped, expectedMasterKeyId, cancellationToken);

    public virtual ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default) => Inner.GetConversationAsync(conversation, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default) => Inner.GetConversationsAsync(tenant, subject, cancellationToken);

    public virtual ValueTask<IReadOnlyList<string>> ListConversationsAsync(string? after, int maxConversations, CancellationToken cancellationToken = default) => Inner.ListConversationsAsync(after, maxConversations, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default) => Inner.ReadRecordsAsync(conversation, fromSequence, maxRecords, cancellationToken);

    public virtual ValueTask<ErasureCounts> EraseSubjectAsync(Tombstone tombstone, Func<ErasureCounts, AuditDraft> audit, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.EraseSubjectAsync(tombstone, audit, sealer, cancellationToken);

    public virtual ValueTask<IReadOnlyList<Tombstone>> GetTombstonesAsync(string tenant, string subject, CancellationToken cancellationToken = default) => Inner.GetTombstonesAsync(tenant, subject, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ExpiredRange>> FindExpiredAsync(DateTimeOffset now, int maxConversations, CancellationToken cancellationToken = default) => Inner.FindExpiredAsync(now, maxConversations, cancellationToken);

    public virtual ValueTask<long> PurgeAsync(string conversation, long throughSequence, Func<ConversationHead, long, ReadOnlyMemory<byte>, ConversationHead> rebase, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.PurgeAsync(conversation, throughSequence, rebase, audit, sealer, cancellationToken);

    public virtual ValueTask<AuditEntry> AppendAuditAsync(AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) => Inner.AppendAuditAsync(audit, sealer, cancellationToken);

    public virtual ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default) => Inner.ReadAuditAsync(fromSequence, maxEntries, cancellationToken);
}
