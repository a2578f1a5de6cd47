using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit;

/// <summary>
/// A transcript store in process memory: the reference model the conformance suite compares every store with, and a
/// choice for hosts that must not persist anything. Everything in it is still sealed; it is lost when the process ends.
/// </summary>
/// <remarks>One lock guards all state, so every operation is atomic and linearizable.</remarks>
public sealed class InMemoryTranscriptStore : ITranscriptStore, IEscalationStoreSource
{
    private InMemoryEscalationStore? _escalations;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, StoredKey> _keys = [];
    private readonly Dictionary<(string, string), StoredSubjectKey> _subjectKeys = [];
    private readonly SortedDictionary<string, ConversationHead> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<long, StoredRecord>> _records = new(StringComparer.Ordinal);
    private readonly List<Tombstone> _tombstones = [];
    private readonly List<AuditEntry> _audit = [];

    /// <summary>Gets the number of records held, across conversations.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Values.Sum(r => r.Count);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredKey>>([.. _keys.Values.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_keys.ContainsKey(key.Id) || (key.Kind == TranscriptKeyKind.Index && _keys.Values.Any(k => k.Kind == TranscriptKeyKind.Index)))
            {
                return ValueTask.FromResult(false);
            }

            AuditEntry entry = Chain(audit, sealer);
            _keys[key.Id] = Copy(key);
            _audit.Add(entry);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask UpdateKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_keys.ContainsKey(key.Id))
            {
                throw new InvalidOperationException("No such key.");
            }

            AuditEntry entry = Chain(audit, sealer);
            _keys[key.Id] = Copy(key);
            _audit.Add(entry);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoredSubjectKey?> GetSubjectKeyAsync(string tenant, string subject, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_subjectKeys.GetValueOrDefault((tenant, subject)));
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredSubjectKey> GetOrAddSubjectKeyAsync(StoredSubjectKey candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        lock (_gate)
        {
            if (!_subjectKeys.TryGetValue((candidate.Tenant, candidate.Subject), out StoredSubjectKey? existing))
            {
                existing = candidate with { WrappedKey = candidate.WrappedKey.ToArray() };
                _subjectKeys[(candidate.Tenant, candidate.Subject)] = existing;
            }

            return ValueTask.FromResult(existing);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSubjectKey>> GetSubjectKeysWrappedByAsync(Guid masterKeyId, int maxKeys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredSubjectKey>>([.. _subjectKeys.Values.Where(k => k.MasterKeyId == masterKeyId).Take(maxKeys)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryReplaceSubjectKeyAsync(StoredSubjectKey rewrapped, Guid expectedMasterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrapped);
        lock (_gate)
        {
            if (_subjectKeys.TryGetValue((rewrapped.Tenant, rewrapped.Subject), out StoredSubjectKey? current)
                && current.KeyId == rewrapped.KeyId && current.MasterKeyId == expectedMasterKeyId)
            {
                _subjectKeys[(rewrapped.Tenant, rewrapped.Subject)] = rewrapped with { WrappedKey = rewrapped.WrappedKey.ToArray() };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_conversations.GetValueOrDefault(conversation));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ConversationHead>>([.. _conversations.Values.Where(h => h.Tenant == tenant && h.Subject == subject).OrderBy(h => h.CreatedAt).ThenBy(h => h.Conversation, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListConversationsAsync(string? after, int maxConversations, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. _conversations.Keys.Where(k => after is null || string.CompareOrdinal(k, after) > 0).Take(maxConversations)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(conversation, out SortedList<long, StoredRecord>? records))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredRecord>>([]);
            }

            return ValueTask.FromResult<IReadOnlyList<StoredRecord>>([.. records.Values.Where(r => r.Sequence >= fromSequence).Take(maxRecords)]);
        }
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(sealer);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Stage everything, then apply: all or none.
            var heads = new Dictionary<string, ConversationHead?>(StringComparer.Ordinal);
            var inserts = new List<StoredRecord>();
            var audits = new List<AuditEntry>();
            AuditEntry? last = _audit.Count > 0 ? _audit[^1] : null;
            foreach (TranscriptAppendBatch batch in batches)
            {
                if (!_subjectKeys.TryGetValue((batch.Tenant, batch.Subject), out StoredSubjectKey? key) || key.KeyId != batch.SubjectKeyId)
                {
                    throw new TranscriptAccessException("The subject's data key is gone or was replaced: an erasure came first.");
                }

                ConversationHead? head = heads.TryGetValue(batch.Conversation, out ConversationHead? staged) ? staged : _conversations.GetValueOrDefault(batch.Conversation);
                SealedAppend result = batch.Seal(head);
                foreach (StoredRecord record in result.Records)
                {
                    if ((_records.TryGetValue(batch.Conversation, out SortedList<long, StoredRecord>? existing) && existing.ContainsKey(record.Sequence))
                        || inserts.Any(r => r.Conversation == record.Conversation && r.Sequence == record.Sequence))
                    {
                        throw new InvalidOperationException("A record with that sequence number exists.");
                    }

                    inserts.Add(record with { PreviousHash = record.PreviousHash.ToArray(), Payload = record.Payload.ToArray() });
                }

                heads[batch.Conversation] = result.Head;
                last = sealer.Seal(last, batch.Audit);
                audits.Add(last);
            }

            foreach ((string conversation, ConversationHead? head) in heads)
            {
                _conversations[conversation] = head!;
            }

            foreach (StoredRecord record in inserts)
            {
                if (!_records.TryGetValue(record.Conversation, out SortedList<long, StoredRecord>? list))
                {
                    _records[record.Conversation] = list = [];
                }

                list.Add(record.Sequence, record);
            }

            _audit.AddRange(audits);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ErasureCounts> EraseSubjectAsync(Tombstone tombstone, Func<ErasureCounts, AuditDraft> audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        ArgumentNullException.ThrowIfNull(audit);
        lock (_gate)
        {
            bool keyDestroyed = _subjectKeys.ContainsKey((tombstone.Tenant, tombstone.Subject));
            List<string> conversations = [.. _conversations.Values.Where(h => h.Tenant == tombstone.Tenant && h.Subject == tombstone.Subject).Select(h => h.Conversation)];
            long records = conversations.Sum(c => (long)(_records.GetValueOrDefault(c)?.Count ?? 0));
            var counts = new ErasureCounts(conversations.Count, records, keyDestroyed);
            AuditEntry entry = Chain(audit(counts), sealer);
            _subjectKeys.Remove((tombstone.Tenant, tombstone.Subject));
            foreach (string conversation in conversations)
            {
                _conversations.Remove(conversation);
                _records.Remove(conversation);
            }

            _tombstones.Add(tombstone);
            _audit.Add(entry);
            return ValueTask.FromResult(counts);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Tombstone>> GetTombstonesAsync(string tenant, string subject, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Tombstone>>([.. _tombstones.Where(t => t.Tenant == tenant && t.Subject == subject)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExpiredRange>> FindExpiredAsync(DateTimeOffset now, int maxConversations, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ExpiredRange>>([.. _records
                .Select(p => (p.Key, Expired: p.Value.Values.Where(r => r.ExpiresAt <= now).Select(r => (long?)r.Sequence).Max()))
                .Where(p => p.Expired is not null)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Take(maxConversations)
                .Select(p => new ExpiredRange(p.Key, p.Expired!.Value))]);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> PurgeAsync(string conversation, long throughSequence, Func<ConversationHead, long, ReadOnlyMemory<byte>, ConversationHead> rebase, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rebase);
        lock (_gate)
        {
            if (!_conversations.TryGetValue(conversation, out ConversationHead? head) || !_records.TryGetValue(conversation, out SortedList<long, StoredRecord>? records))
            {
                return ValueTask.FromResult(0L);
            }

            long through = Math.Min(throughSequence, head.NextSequence - 1);
            ReadOnlyMemory<byte> baseHash = records.TryGetValue(through + 1, out StoredRecord? next) ? next.PreviousHash : head.LastHash;
            ConversationHead rebased = rebase(head, through + 1, baseHash.ToArray());
            AuditEntry entry = Chain(audit, sealer);
            List<long> doomed = [.. records.Keys.Where(s => s <= through)];
            foreach (long sequence in doomed)
            {
                records.Remove(sequence);
            }

            _conversations[conversation] = rebased;
            _audit.Add(entry);
            return ValueTask.FromResult((long)doomed.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditEntry> AppendAuditAsync(AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            AuditEntry entry = Chain(audit, sealer);
            _audit.Add(entry);
            return ValueTask.FromResult(entry);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<AuditEntry>>([.. _audit.Where(e => e.Sequence >= fromSequence).Take(maxEntries)]);
        }
    }

    /// <summary>Replaces a stored record's bytes (tests of tamper evidence only).</summary>
    internal void Tamper(string conversation, long sequence, Func<StoredRecord, StoredRecord?> change)
    {
        lock (_gate)
        {
            SortedList<long, StoredRecord> records = _records[conversation];
            StoredRecord? changed = change(records[sequence]);
            records.Remove(sequence);
            if (changed is not null)
            {
                records[changed.Sequence] = changed;
            }
        }
    }

    /// <summary>Replaces a conversation head (tests of tamper evidence only).</summary>
    internal void TamperHead(string conversation, Func<ConversationHead, ConversationHead> change)
    {
        lock (_gate)
        {
            _conversations[conversation] = change(_conversations[conversation]);
        }
    }

    private AuditEntry Chain(AuditDraft audit, IAuditSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(sealer);
        return sealer.Seal(_audit.Count > 0 ? _audit[^1] : null, audit);
    }

    private static StoredKey Copy(StoredKey key) => key with { WrappedKey = key.WrappedKey.ToArray() };

    /// <inheritdoc />
    /// <remarks>An <see cref="InMemoryEscalationStore"/>: like the transcripts, it lasts as long as the process.</remarks>
    public IEscalationStore GetEscalationStore() => LazyInitializer.EnsureInitialized(ref _escalations, () => new InMemoryEscalationStore());
}
