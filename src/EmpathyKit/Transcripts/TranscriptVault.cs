using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EmpathyKit.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The encrypted transcript: the key hierarchy (root provider → master key ring → subject data keys → one HKDF
/// record key per record), pseudonymous ids, per-conversation hash chains with keyed checkpoints, the audit log, the
/// queued writer, and every management operation. Stores only ever see what this class seals.
/// </summary>
internal sealed class TranscriptVault : ITranscriptLog, ITranscriptManager, IAsyncDisposable, IDisposable
{
    private const int Page = 500;
    private static readonly byte[] ZeroHash = new byte[TranscriptRecordFormat.HashLength];

    private readonly ITranscriptStore _store;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TranscriptKeyRing _ring;
    private readonly TranscriptWriteQueue _queue;
    private readonly ConcurrentDictionary<(string Tenant, string Subject), SubjectKey> _subjectKeys = new();
    private readonly HistoryWindowCache _windows;
    private int _disposed;

    public TranscriptVault(ITranscriptStore store, ITranscriptKeyProvider root, TranscriptOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _ring = new TranscriptKeyRing(store, root, options, _time);
        _queue = new TranscriptWriteQueue(WriteAsync, options, _time, _logger);
        _windows = new HistoryWindowCache(options.HistoryCacheConversations);
    }

    public ITranscriptStore Store => _store;

    /// <summary>Gets the pseudonyms of an address (tests and the CLI).</summary>
    internal async ValueTask<(string Tenant, string Subject, string Conversation)> PseudonymsAsync(TranscriptAddress address, CancellationToken cancellationToken = default)
    {
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return (ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject), ids.Conversation(address.Tenant, address.Conversation));
    }

    /// <summary>Gets the number of appends waiting in the write queue.</summary>
    public int QueueDepth => _queue.Depth;

    /// <summary>Gets the cached history windows (for tests).</summary>
    internal HistoryWindowCache HistoryWindows => _windows;

    // ---------------------------------------------------------------- ITranscriptLog

    public async ValueTask<TranscriptWriteReceipt> AppendAsync(TranscriptAddress address, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(entries);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (entries.Count == 0)
        {
            return new TranscriptWriteReceipt(Task.CompletedTask);
        }

        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string tenant = ids.Tenant(address.Tenant);
        string subject = ids.Subject(address.Tenant, address.Subject);
        string conversation = ids.Conversation(address.Tenant, address.Conversation);
        SubjectKey key = (await GetSubjectKeyAsync(tenant, subject, create: true, cancellationToken).ConfigureAwait(false))!;
        var records = new List<(byte[], DateTimeOffset, DateTimeOffset)>(entries.Count);
        foreach (TranscriptEntry entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var created = new DateTimeOffset(entry.CreatedAt.UtcTicks, TimeSpan.Zero);
            records.Add((TranscriptPayloadCodec.Encode(entry), created, created + _options.Retention));
        }

        var item = new WriteItem(tenant, subject, conversation, address.Conversation, key.Id, (byte[])key.Key.Clone(), records);
        await _queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        return new TranscriptWriteReceipt(item.Done.Task);
    }

    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadAsync(TranscriptAddress address, int maxEntries, CancellationToken cancellationToken = default) =>
        (await ReadLatestAsync(address, maxEntries, readAround: false, cancellationToken).ConfigureAwait(false)).Entries;

    public ValueTask<TranscriptHistory> ReadHistoryAsync(TranscriptAddress address, int maxEntries, CancellationToken cancellationToken = default) =>
        ReadLatestAsync(address, maxEntries, readAround: true, cancellationToken);

    private async ValueTask<TranscriptHistory> ReadLatestAsync(TranscriptAddress address, int maxEntries, bool readAround, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (maxEntries == 0)
        {
            return new TranscriptHistory([], 0);
        }

        TranscriptHistory read;
        try
        {
            read = await ReadWindowAsync(address, maxEntries, readAround, cancellationToken).ConfigureAwait(false);
            if (read.UnreadableRecords == 0)
            {
                return read;
            }
        }
        catch (TranscriptIntegrityException)
        {
            // Another host may have erased the subject, and the person started again under a new data key.
            if (!await ForgetStaleSubjectKeyAsync(address, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            return await ReadWindowAsync(address, maxEntries, readAround, cancellationToken).ConfigureAwait(false);
        }

        // Read around: records under a data key this host no longer should hold read as unreadable, not as a gap.
        return await ForgetStaleSubjectKeyAsync(address, cancellationToken).ConfigureAwait(false)
            ? await ReadWindowAsync(address, maxEntries, readAround, cancellationToken).ConfigureAwait(false)
            : read;
    }

    /// <summary>Forgets this host's cached data key of the address's subject when the store holds another (or none); says whether it did.</summary>
    private async ValueTask<bool> ForgetStaleSubjectKeyAsync(TranscriptAddress address, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (string Tenant, string Subject) subject = (ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject));
        if (!_subjectKeys.TryGetValue(subject, out SubjectKey? cached))
        {
            return false;
        }

        StoredSubjectKey? stored = await _store.GetSubjectKeyAsync(subject.Tenant, subject.Subject, cancellationToken).ConfigureAwait(false);
        if (stored?.KeyId == cached.Id)
        {
            return false;
        }

        _subjectKeys.TryRemove(subject, out _);
        _windows.RemoveSubject(subject.Tenant, subject.Subject);
        return true;
    }

    private async ValueTask<TranscriptHistory> ReadWindowAsync(TranscriptAddress address, int maxEntries, bool readAround, CancellationToken cancellationToken)
    {
        (ConversationHead? head, SubjectKey? key) = await OpenConversationAsync(address, cancellationToken).ConfigureAwait(false);
        if (head is null || key is null)
        {
            if (head is null && _windows.Enabled)
            {
                _windows.Remove((await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false)).Conversation(address.Tenant, address.Conversation));
            }

            return new TranscriptHistory([], 0);
        }

        long from = Math.Max(head.BaseSequence, head.NextSequence - maxEntries);
        if (maxEntries <= HistoryWindowCache.MaxEntries && _windows.TryGet(head.Conversation, out HistoryWindowCache.Window window))
        {
            IReadOnlyList<TranscriptEntry>? served = await ExtendWindowAsync(head, key, window, from, maxEntries, cancellationToken).ConfigureAwait(false);
            if (served is not null)
            {
                return new TranscriptHistory(served, 0);
            }
        }

        ReadAround? around = readAround ? new ReadAround() : null;
        IReadOnlyList<TranscriptEntry> entries = await ReadRangeAsync(head, key, from, cancellationToken, around: around).ConfigureAwait(false);
        int unreadable = around?.Unreadable ?? 0;
        if (unreadable == 0)
        {
            // A window is kept only when it is whole: its entries stand for consecutive records.
            _windows.Put(head.Conversation, head.Tenant, head.Subject, head.NextSequence, head.LastHash, entries, maxEntries);
        }

        return new TranscriptHistory(entries, unreadable);
    }

    /// <summary>
    /// Serves a read from the cached window plus the records written since, or returns null when the window does not
    /// chain to the head (then the caller reads from the store in full).
    /// </summary>
    private async ValueTask<IReadOnlyList<TranscriptEntry>?> ExtendWindowAsync(ConversationHead head, SubjectKey key, HistoryWindowCache.Window window, long from, int maxEntries, CancellationToken cancellationToken)
    {
        bool sameSubject = string.Equals(window.Tenant, head.Tenant, StringComparison.Ordinal) && string.Equals(window.Subject, head.Subject, StringComparison.Ordinal);
        if (!sameSubject || window.Next > head.NextSequence || from < window.First)
        {
            _windows.Remove(head.Conversation);
            return null;
        }

        IReadOnlyList<TranscriptEntry> fresh = [];
        if (window.Next == head.NextSequence)
        {
            if (!head.LastHash.Span.SequenceEqual(window.LastHash.Span))
            {
                _windows.Remove(head.Conversation);
                return null;
            }
        }
        else
        {
            // Only the new records are read and decrypted; the first must chain to the window's last.
            long readFrom = Math.Max(window.Next, from);
            try
            {
                fresh = await ReadRangeAsync(head, key, readFrom, cancellationToken, readFrom == window.Next ? window.LastHash : null).ConfigureAwait(false);
            }
            catch (TranscriptIntegrityException)
            {
                _windows.Remove(head.Conversation);
                return null;
            }
        }

        var entries = new List<TranscriptEntry>((int)(head.NextSequence - from));
        for (long sequence = from; sequence < Math.Min(window.Next, head.NextSequence); sequence++)
        {
            entries.Add(window.Entries[sequence - window.First]);
        }

        entries.AddRange(fresh);
        if (fresh.Count > 0)
        {
            _windows.Put(head.Conversation, head.Tenant, head.Subject, head.NextSequence, head.LastHash, entries, maxEntries);
        }

        return entries;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    // ---------------------------------------------------------------- ITranscriptManager

    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        (await ReadConversationCoreAsync(address, actor, around: null, cancellationToken).ConfigureAwait(false)).Entries;

    /// <summary>
    /// Reads a whole conversation like <see cref="ReadConversationAsync"/>, but around records that cannot be read
    /// (damaged, missing or badly linked), which are counted (<c>empathykit transcripts read</c>). Audited the same way.
    /// </summary>
    internal ValueTask<TranscriptHistory> ReadConversationAroundAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        ReadConversationCoreAsync(address, actor, new ReadAround(), cancellationToken);

    private async ValueTask<TranscriptHistory> ReadConversationCoreAsync(TranscriptAddress address, string? actor, ReadAround? around, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        (ConversationHead? head, SubjectKey? key) = await OpenConversationAsync(address, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TranscriptEntry> entries = head is null || key is null ? [] : await ReadRangeAsync(head, key, head.BaseSequence, cancellationToken, around: around).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string detail = around is null ? AuditDetail.Of(("records", entries.Count)) : AuditDetail.Of(("records", entries.Count), ("unreadable", around.Unreadable));
        await AuditAsync(AuditKinds.Read, actor, ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject), ids.Conversation(address.Tenant, address.Conversation), detail, cancellationToken).ConfigureAwait(false);
        return new TranscriptHistory(entries, around?.Unreadable ?? 0);
    }

    public async ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListConversationsAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TranscriptConversationInfo> list = await ListAsync(t, s, cancellationToken).ConfigureAwait(false);
        await AuditAsync(AuditKinds.List, actor, t, s, null, AuditDetail.Of(("conversations", list.Count)), cancellationToken).ConfigureAwait(false);
        return list;
    }

    public async ValueTask<byte[]> ExportSubjectAsync(string tenant, string subject, X509Certificate2? recipient = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        await _queue.FlushAsync(cancellationToken).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (IReadOnlyList<ConversationHead> heads, SubjectKey? key) = await HeadsAsync(t, s, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Tombstone> tombstones = await _store.GetTombstonesAsync(t, s, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        long records = 0;
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", "empathykit-subject-export/1");
            json.WriteString("tenant", tenant);
            json.WriteString("subject", subject);
            json.WriteString("exportedAt", Iso(_time.GetUtcNow()));
            json.WriteStartArray("conversations");
            foreach (ConversationHead head in heads)
            {
                CheckCheckpoint(ids, head);
                IReadOnlyList<TranscriptEntry> entries = await ReadRangeAsync(head, key!, head.BaseSequence, cancellationToken).ConfigureAwait(false);
                records += entries.Count;
                json.WriteStartObject();
                json.WriteString("conversationId", OpenLabel(key!, head));
                json.WriteString("createdAt", Iso(head.CreatedAt));
                json.WriteString("updatedAt", Iso(head.UpdatedAt));
                json.WriteStartArray("entries");
                foreach (TranscriptEntry entry in entries)
                {
                    json.WriteStartObject();
                    json.WriteString("role", entry.Role == TranscriptRole.User ? "user" : "assistant");
                    json.WriteString("text", entry.Text);
                    json.WriteString("createdAt", Iso(entry.CreatedAt));
                    json.WriteString("risk", entry.Risk.ToWireName());
                    json.WriteStartArray("categories");
                    foreach (CrisisCategory category in entry.Categories)
                    {
                        json.WriteStringValue(category.ToWireName());
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("erasures");
            foreach (Tombstone tombstone in tombstones)
            {
                json.WriteStartObject();
                json.WriteString("erasureId", tombstone.ErasureId.ToString("D"));
                json.WriteString("erasedAt", Iso(tombstone.ErasedAt));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] plain = buffer.ToArray();
        byte[] result = recipient is null ? plain : TranscriptCms.Encrypt(plain, recipient);
        if (recipient is not null)
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        await AuditAsync(AuditKinds.Export, actor, t, s, null, AuditDetail.Of(("conversations", heads.Count), ("records", records), ("encrypted", recipient is not null)), cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async ValueTask<ErasureCertificate> EraseSubjectAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        var tombstone = new Tombstone(t, s, Guid.CreateVersion7(now), now);
        var sealer = new CapturingSealer(await _ring.GetSealerAsync(cancellationToken).ConfigureAwait(false));
        _subjectKeys.TryRemove((t, s), out _);
        ErasureCounts counts = await _store.EraseSubjectAsync(
            tombstone,
            c => new AuditDraft(now, AuditKinds.Erase, actor, t, s, null, AuditDetail.Of(
                ("erasureId", tombstone.ErasureId), ("erasedAt", now), ("conversations", c.Conversations), ("records", c.Records), ("dataKeyDestroyed", c.KeyDestroyed))),
            sealer,
            cancellationToken).ConfigureAwait(false);
        _subjectKeys.TryRemove((t, s), out _);
        _windows.RemoveSubject(t, s);
        AuditEntry entry = sealer.Last ?? throw new InvalidOperationException("The store did not write the erasure's audit entry.");
        return new ErasureCertificate(tombstone.ErasureId, t, s, now, counts.Conversations, counts.Records, counts.KeyDestroyed, entry.Sequence, Convert.ToHexStringLower(entry.Hash.Span));
    }

    public async ValueTask<PurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        TranscriptAuditSealer sealer = await _ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        int conversations = 0;
        long records = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<ExpiredRange> ranges = await _store.FindExpiredAsync(now, 100, cancellationToken).ConfigureAwait(false);
            List<ExpiredRange> todo = [.. ranges.Where(r => !skipped.Contains(r.Conversation))];
            if (todo.Count == 0)
            {
                break;
            }

            foreach (ExpiredRange range in todo)
            {
                try
                {
                    long deleted = await _store.PurgeAsync(
                        range.Conversation,
                        range.ThroughSequence,
                        (head, baseSequence, baseHash) =>
                        {
                            CheckCheckpoint(ids, head);
                            return WithCheckpoint(ids, head with { BaseSequence = baseSequence, BaseHash = baseHash.ToArray() });
                        },
                        new AuditDraft(now, AuditKinds.Purge, null, null, null, range.Conversation, AuditDetail.Of(("throughSequence", range.ThroughSequence))),
                        sealer,
                        cancellationToken).ConfigureAwait(false);
                    conversations++;
                    records += deleted;
                }
                catch (TranscriptIntegrityException ex)
                {
                    skipped.Add(range.Conversation);
                    Log.TranscriptPurgeSkipped(_logger, ex.GetType().Name);
                }
            }
        }

        return new PurgeResult(conversations, records);
    }

    public async ValueTask<KeyRotationResult> RotateKeysAsync(CancellationToken cancellationToken = default)
    {
        _ = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        StoredKey created = await _ring.CreateMasterAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (StoredKey key in await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.Kind == TranscriptKeyKind.Master && key.Id != created.Id && key.DestroyedAt is null && key.RevokedAt is null && key.ExpiresAt > now)
            {
                await _ring.UpdateAsync(
                    key with { ActivatesAt = key.ActivatesAt > now ? now : key.ActivatesAt, ExpiresAt = now },
                    new AuditDraft(now, AuditKinds.KeyRotated, null, null, null, null, AuditDetail.Of(("keyId", key.Id), ("expiredAt", now), ("supersededBy", created.Id))),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        int rewrapped = 0;
        foreach (StoredKey key in await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.Kind == TranscriptKeyKind.Master && key.Id != created.Id && key.DestroyedAt is null && key.RevokedAt is null)
            {
                rewrapped += await RewrapSubjectKeysAsync(key.Id, created.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        await RewrapUnderCurrentRootAsync(now, cancellationToken).ConfigureAwait(false);
        await DestroyRetiredKeysAsync(now, cancellationToken).ConfigureAwait(false);
        return new KeyRotationResult(created.Id, rewrapped);
    }

    public async ValueTask<IReadOnlyList<MasterKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        _ = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredKey> keys = await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        Guid? active = _ring.Active(now)?.Id;
        return [.. keys.Where(k => k.Kind == TranscriptKeyKind.Master).OrderBy(k => k.CreatedAt)
            .Select(k => new MasterKeyInfo(k.Id, TranscriptKeyRing.StatusOf(k, now, active), k.CreatedAt, k.ActivatesAt, k.ExpiresAt, k.RootKeyId))];
    }

    public async ValueTask RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        _ = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (Guid activeId, _) = await _ring.GetActiveMasterAsync(cancellationToken).ConfigureAwait(false);
        if (keyId == activeId)
        {
            throw new InvalidOperationException("The active master key cannot be revoked: rotate first, then revoke it.");
        }

        StoredKey key = (await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.Id == keyId && k.Kind == TranscriptKeyKind.Master)
            ?? throw new ArgumentException("No master key has that id.", nameof(keyId));
        if (key.RevokedAt is not null || key.DestroyedAt is not null)
        {
            return;
        }

        int rewrapped = await RewrapSubjectKeysAsync(keyId, activeId, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        await _ring.UpdateAsync(
            key with { RevokedAt = now, ExpiresAt = key.ExpiresAt > now ? now : key.ExpiresAt },
            new AuditDraft(now, AuditKinds.KeyRevoked, null, null, null, null, AuditDetail.Of(("keyId", keyId), ("subjectKeysRewrapped", rewrapped))),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<byte[]> EscrowKeysAsync(X509Certificate2 recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        _ = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredKey> keys = await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        int count = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", "empathykit-key-escrow/1");
            json.WriteString("createdAt", Iso(_time.GetUtcNow()));
            json.WriteStartArray("keys");
            foreach (StoredKey key in keys.Where(k => k.DestroyedAt is null))
            {
                byte[] bytes = await _ring.UnwrapAnyAsync(key, cancellationToken).ConfigureAwait(false);
                try
                {
                    json.WriteStartObject();
                    json.WriteString("id", key.Id.ToString("D"));
                    json.WriteString("kind", key.Kind == TranscriptKeyKind.Master ? "master" : "index");
                    json.WriteString("createdAt", Iso(key.CreatedAt));
                    json.WriteString("activatesAt", Iso(key.ActivatesAt));
                    json.WriteString("expiresAt", Iso(key.ExpiresAt));
                    json.WriteBoolean("revoked", key.RevokedAt is not null);
                    json.WriteBase64String("key", bytes);
                    json.WriteString("check", KeyCheckValue(bytes));
                    json.WriteEndObject();
                    count++;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] plain = buffer.ToArray();
        try
        {
            byte[] envelope = TranscriptCms.Encrypt(plain, recipient);
            await AuditAsync(AuditKinds.KeyEscrowed, null, null, null, null, AuditDetail.Of(("keys", count), ("recipient", recipient.Thumbprint)), cancellationToken).ConfigureAwait(false);
            return envelope;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public async ValueTask<KeyRecoveryResult> RecoverKeysAsync(ReadOnlyMemory<byte> envelope, X509Certificate2 escrowCertificate, string? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escrowCertificate);
        byte[] plain = TranscriptCms.Decrypt(envelope.Span, escrowCertificate);
        var keys = new Dictionary<Guid, byte[]>();
        try
        {
            ReadEscrow(plain, keys);
            KeyRecoveryResult result = await _ring.RecoverAsync(keys, actor, cancellationToken).ConfigureAwait(false);
            _subjectKeys.Clear();
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            foreach (byte[] key in keys.Values)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>Reads an escrow payload, checking its format and every key's length and check value.</summary>
    private static void ReadEscrow(byte[] plain, Dictionary<Guid, byte[]> keys)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(plain);
        }
        catch (JsonException ex)
        {
            throw new CryptographicException("The escrow envelope's content is not an EmpathyKit key escrow.", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != "empathykit-key-escrow/1" || !root.TryGetProperty("keys", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new CryptographicException("The escrow envelope's content is not an EmpathyKit key escrow (format empathykit-key-escrow/1).");
            }

            foreach (JsonElement item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || !Guid.TryParseExact(id.GetString(), "D", out Guid keyId)
                    || !item.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.String || !key.TryGetBytesFromBase64(out byte[]? bytes)
                    || !item.TryGetProperty("check", out JsonElement check) || check.ValueKind != JsonValueKind.String)
                {
                    throw new CryptographicException("An escrowed key is malformed.");
                }

                if (bytes.Length != 32 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyCheckValue(bytes)), Encoding.ASCII.GetBytes(check.GetString()!)))
                {
                    CryptographicOperations.ZeroMemory(bytes);
                    throw new CryptographicException("An escrowed key fails its check value: the envelope is damaged.");
                }

                if (!keys.TryAdd(keyId, bytes))
                {
                    CryptographicOperations.ZeroMemory(bytes);
                    throw new CryptographicException("The escrow holds the same key twice.");
                }
            }
        }
    }

    /// <summary>The check value of an escrowed key: the first 8 bytes of HMAC-SHA256(key, "EmpathyKit key check"), hex.</summary>
    internal static string KeyCheckValue(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, "EmpathyKit key check"u8).AsSpan(0, 8));

    public async ValueTask<IntegrityReport> VerifyIntegrityAsync(TranscriptAddress? address = null, bool decrypt = false, CancellationToken cancellationToken = default)
    {
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        await _queue.FlushAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<IntegrityProblem>();
        int chains = 0;
        long checkedRecords = 0;
        async ValueTask CheckAsync(string conversation)
        {
            ConversationHead? head = await _store.GetConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
            if (head is null)
            {
                return;
            }

            chains++;
            (long count, IntegrityProblem? problem) = await VerifyChainAsync(ids, head, decrypt, cancellationToken).ConfigureAwait(false);
            checkedRecords += count;
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        if (address is not null)
        {
            await CheckAsync(ids.Conversation(address.Tenant, address.Conversation)).ConfigureAwait(false);
        }
        else
        {
            string? after = null;
            while (true)
            {
                IReadOnlyList<string> page = await _store.ListConversationsAsync(after, Page, cancellationToken).ConfigureAwait(false);
                foreach (string conversation in page)
                {
                    await CheckAsync(conversation).ConfigureAwait(false);
                }

                if (page.Count < Page)
                {
                    break;
                }

                after = page[^1];
            }
        }

        if (address is null && _store is ITranscriptStorageCheck storage)
        {
            // The database's own check sees what the chains cannot (a damaged index, a bad page).
            IReadOnlyList<string> damage;
            try
            {
                damage = await storage.CheckStorageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                damage = [$"the database's integrity check could not run ({ex.GetType().Name})"];
            }

            foreach (string finding in damage)
            {
                problems.Add(new IntegrityProblem("storage", 0, IntegrityProblemKind.StorageDamaged, finding));
            }
        }

        await AuditAsync(AuditKinds.Verify, null, null, null, null, AuditDetail.Of(("chains", chains), ("records", checkedRecords), ("problems", problems.Count), ("decrypt", decrypt)), cancellationToken).ConfigureAwait(false);
        return new IntegrityReport(chains, checkedRecords, problems);
    }

    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAuditLogAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        return await _store.ReadAuditAsync(fromSequence, maxEntries, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IntegrityReport> VerifyAuditLogAsync(CancellationToken cancellationToken = default)
    {
        TranscriptAuditSealer sealer = await _ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        byte[] previous = ZeroHash;
        long expected = 0;
        while (true)
        {
            IReadOnlyList<AuditEntry> page = await _store.ReadAuditAsync(expected, Page, cancellationToken).ConfigureAwait(false);
            foreach (AuditEntry entry in page)
            {
                if (entry.Sequence != expected)
                {
                    return Broken(IntegrityProblemKind.Reordered, $"Expected audit entry {expected}, found {entry.Sequence}.");
                }

                if (!entry.PreviousHash.Span.SequenceEqual(previous))
                {
                    return Broken(IntegrityProblemKind.BrokenLink, "The entry does not chain to the one before it.");
                }

                if (!sealer.Verify(entry, previous))
                {
                    return Broken(IntegrityProblemKind.CheckpointInvalid, "The entry's keyed hash does not verify: it was altered.");
                }

                previous = entry.Hash.ToArray();
                expected++;
            }

            if (page.Count < Page)
            {
                return new IntegrityReport(1, expected, []);
            }
        }

        IntegrityReport Broken(IntegrityProblemKind kind, string description) =>
            new(1, expected, [new IntegrityProblem("audit", expected, kind, description)]);
    }

    // ---------------------------------------------------------------- lifetime

    /// <summary>Flushes the write queue (up to <see cref="TranscriptOptions.FlushTimeout"/>) and forgets the keys. The store is not disposed: its owner does that.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.DisposeAsync().ConfigureAwait(false);
        _ring.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // ---------------------------------------------------------------- internals

    private async ValueTask WriteAsync(IReadOnlyList<WriteItem> items, CancellationToken cancellationToken)
    {
        try
        {
            await WriteOnceAsync(items, cancellationToken).ConfigureAwait(false);
        }
        catch (TranscriptAccessException) when (items.Count == 1)
        {
            if (!await RekeyAfterEarlierErasureAsync(items[0], cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            await WriteOnceAsync(items, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An append refused because its data key is gone: another host (or this one) erased the subject. The cached key is
    /// forgotten either way. If every erasure came before the item's first message was received, the message belongs
    /// to the person's fresh start: it is sealed under the subject's new data key and written. Otherwise the erasure
    /// wins and the append stays refused.
    /// </summary>
    private async ValueTask<bool> RekeyAfterEarlierErasureAsync(WriteItem item, CancellationToken cancellationToken)
    {
        _subjectKeys.TryRemove((item.Tenant, item.Subject), out _);
        _windows.RemoveSubject(item.Tenant, item.Subject);
        StoredSubjectKey? stored = await _store.GetSubjectKeyAsync(item.Tenant, item.Subject, cancellationToken).ConfigureAwait(false);
        if (stored?.KeyId == item.SubjectKeyId)
        {
            return false;
        }

        IReadOnlyList<Tombstone> erasures = await _store.GetTombstonesAsync(item.Tenant, item.Subject, cancellationToken).ConfigureAwait(false);
        DateTimeOffset received = item.Records.Min(r => r.CreatedAt);
        if (erasures.Count == 0 || erasures.Any(e => e.ErasedAt >= received))
        {
            return false;
        }

        SubjectKey fresh = (await GetSubjectKeyAsync(item.Tenant, item.Subject, create: true, cancellationToken).ConfigureAwait(false))!;
        item.Rekey(fresh.Id, (byte[])fresh.Key.Clone());
        return true;
    }

    private async ValueTask WriteOnceAsync(IReadOnlyList<WriteItem> items, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        TranscriptAuditSealer sealer = await _ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        var batches = new TranscriptAppendBatch[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            WriteItem item = items[i];
            batches[i] = new TranscriptAppendBatch(
                item.Tenant,
                item.Subject,
                item.Conversation,
                item.SubjectKeyId,
                head => Seal(ids, item, head, now),
                new AuditDraft(now, AuditKinds.Append, null, item.Tenant, item.Subject, item.Conversation, AuditDetail.Of(("records", item.Records.Count))));
        }

        await _store.AppendAsync(batches, sealer, cancellationToken).ConfigureAwait(false);
    }

    private static SealedAppend Seal(TranscriptPseudonyms ids, WriteItem item, ConversationHead? head, DateTimeOffset now)
    {
        if (head is not null)
        {
            if (!string.Equals(head.Tenant, item.Tenant, StringComparison.Ordinal) || !string.Equals(head.Subject, item.Subject, StringComparison.Ordinal))
            {
                throw new TranscriptAccessException("The conversation belongs to another subject.");
            }

            CheckCheckpoint(ids, head);
        }

        long sequence = head?.NextSequence ?? 0;
        byte[] previous = head?.LastHash.ToArray() ?? ZeroHash;
        var records = new List<StoredRecord>(item.Records.Count);
        foreach ((byte[] plaintext, DateTimeOffset created, DateTimeOffset expires) in item.Records)
        {
            var place = new TranscriptRecordFormat.Place(item.Tenant, item.Subject, item.Conversation, sequence, previous, created, expires);
            var record = new StoredRecord(item.Conversation, sequence, created, expires, previous, TranscriptRecordFormat.Seal(item.SubjectKey, item.SubjectKeyId, place, plaintext));
            records.Add(record);
            previous = TranscriptRecordFormat.ChainHash(record);
            sequence++;
        }

        ConversationHead next = head is null
            ? new ConversationHead(item.Tenant, item.Subject, item.Conversation, 0, ZeroHash, sequence, previous, ReadOnlyMemory<byte>.Empty, TranscriptKeyWrap.SealLabel(item.SubjectKey, item.Conversation, item.ConversationId), item.Records[0].CreatedAt, now)
            : head with { NextSequence = sequence, LastHash = previous, UpdatedAt = now };
        return new SealedAppend(WithCheckpoint(ids, next), records);
    }

    private static ConversationHead WithCheckpoint(TranscriptPseudonyms ids, ConversationHead head) =>
        head with { Checkpoint = TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head) };

    private static void CheckCheckpoint(TranscriptPseudonyms ids, ConversationHead head)
    {
        if (!CryptographicOperations.FixedTimeEquals(TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head), head.Checkpoint.Span))
        {
            throw new TranscriptIntegrityException("The conversation's checkpoint does not verify: its head was altered.");
        }
    }

    private async ValueTask<(ConversationHead? Head, SubjectKey? Key)> OpenConversationAsync(TranscriptAddress address, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string tenant = ids.Tenant(address.Tenant);
        string subject = ids.Subject(address.Tenant, address.Subject);
        string conversation = ids.Conversation(address.Tenant, address.Conversation);
        await _queue.WaitForConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        ConversationHead? head = await _store.GetConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return (null, null);
        }

        if (!string.Equals(head.Tenant, tenant, StringComparison.Ordinal) || !string.Equals(head.Subject, subject, StringComparison.Ordinal))
        {
            throw new TranscriptAccessException("The conversation belongs to another subject.");
        }

        CheckCheckpoint(ids, head);
        return (head, await GetSubjectKeyAsync(tenant, subject, create: false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Reads, checks and decrypts records <paramref name="from"/> to the head. Strict (no <paramref name="around"/>): the
    /// first record that is missing, out of order, badly linked or undecryptable throws. Reading around: such a record
    /// is counted in <paramref name="around"/> and skipped, and the chain is picked up again at the next record that
    /// authenticates (its link is in its own authenticated data, so it is genuine whatever happened before it).
    /// </summary>
    private async ValueTask<IReadOnlyList<TranscriptEntry>> ReadRangeAsync(ConversationHead head, SubjectKey key, long from, CancellationToken cancellationToken, ReadOnlyMemory<byte>? chainsTo = null, ReadAround? around = null)
    {
        var entries = new List<TranscriptEntry>((int)Math.Min(head.NextSequence - from, 4_096));
        byte[]? previous = chainsTo is { } known ? known.ToArray() : from == head.BaseSequence ? head.BaseHash.ToArray() : null;
        long expected = from;
        while (expected < head.NextSequence)
        {
            int want = (int)Math.Min(Page, head.NextSequence - expected);
            IReadOnlyList<StoredRecord> page = await _store.ReadRecordsAsync(head.Conversation, expected, want, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                if (around is null)
                {
                    throw new TranscriptIntegrityException("The conversation ends before its checkpoint: records were removed.");
                }

                around.Unreadable += (int)Math.Min(head.NextSequence - expected, int.MaxValue);
                return entries;
            }

            long before = expected;
            foreach (StoredRecord record in page)
            {
                if (record.Sequence != expected)
                {
                    if (around is null)
                    {
                        throw new TranscriptIntegrityException("A record is missing or out of order.");
                    }

                    if (record.Sequence < expected || record.Sequence >= head.NextSequence)
                    {
                        continue;
                    }

                    // Records are missing before this one.
                    around.Unreadable += (int)(record.Sequence - expected);
                    expected = record.Sequence;
                    previous = null;
                }

                bool linkBroken = previous is not null && !record.PreviousHash.Span.SequenceEqual(previous);
                if (linkBroken && around is null)
                {
                    throw new TranscriptIntegrityException("A record does not chain to the one before it.");
                }

                TranscriptEntry entry;
                try
                {
                    entry = Decrypt(head, key, record);
                }
                catch (TranscriptIntegrityException) when (around is not null)
                {
                    around.Unreadable++;
                    previous = null;
                    expected++;
                    continue;
                }

                if (linkBroken)
                {
                    // The record is genuine (its link is in its authenticated data), so something between the two is
                    // not what was written: counted once.
                    around!.Unreadable++;
                }

                entries.Add(entry);
                previous = TranscriptRecordFormat.ChainHash(record);
                expected++;
                if (expected == head.NextSequence)
                {
                    break;
                }
            }

            if (expected == before)
            {
                // A page of records none of which was the one expected (reading around only): the rest is missing.
                around!.Unreadable += (int)Math.Min(head.NextSequence - expected, int.MaxValue);
                return entries;
            }
        }

        if (previous is not null && expected == head.NextSequence && head.NextSequence > head.BaseSequence && !head.LastHash.Span.SequenceEqual(previous))
        {
            if (around is null)
            {
                throw new TranscriptIntegrityException("The conversation's last record does not match its checkpoint.");
            }

            around.Unreadable++;
        }

        return entries;
    }

    /// <summary>Counts the records a read went around.</summary>
    private sealed class ReadAround
    {
        public int Unreadable { get; set; }
    }

    private static TranscriptEntry Decrypt(ConversationHead head, SubjectKey key, StoredRecord record)
    {
        var place = new TranscriptRecordFormat.Place(head.Tenant, head.Subject, head.Conversation, record.Sequence, record.PreviousHash, record.CreatedAt, record.ExpiresAt);
        byte[] plaintext;
        try
        {
            plaintext = TranscriptRecordFormat.Open(key.Key, key.Id, place, record.Payload.Span);
        }
        catch (CryptographicException ex)
        {
            throw new TranscriptIntegrityException("A record fails its key commitment or authentication tag.", ex);
        }

        try
        {
            return TranscriptPayloadCodec.Decode(plaintext, record.CreatedAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async ValueTask<(long Records, IntegrityProblem? Problem)> VerifyChainAsync(TranscriptPseudonyms ids, ConversationHead head, bool decrypt, CancellationToken cancellationToken)
    {
        string scope = head.Conversation;
        if (!CryptographicOperations.FixedTimeEquals(TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head), head.Checkpoint.Span))
        {
            return (0, new IntegrityProblem(scope, head.NextSequence, IntegrityProblemKind.CheckpointInvalid, "The conversation's checkpoint does not verify: its head was altered."));
        }

        SubjectKey? key = decrypt ? await GetSubjectKeyAsync(head.Tenant, head.Subject, create: false, cancellationToken).ConfigureAwait(false) : null;
        byte[] previous = head.BaseHash.ToArray();
        long expected = head.BaseSequence;
        long count = 0;
        while (true)
        {
            IReadOnlyList<StoredRecord> page = await _store.ReadRecordsAsync(head.Conversation, expected, Page, cancellationToken).ConfigureAwait(false);
            foreach (StoredRecord record in page)
            {
                if (record.Sequence != expected)
                {
                    return (count, record.Sequence > expected
                        ? new IntegrityProblem(scope, expected, IntegrityProblemKind.BrokenLink, $"Record {expected} is missing.")
                        : new IntegrityProblem(scope, expected, IntegrityProblemKind.Reordered, $"Record {record.Sequence} appears where {expected} belongs."));
                }

                if (!record.PreviousHash.Span.SequenceEqual(previous))
                {
                    return (count, new IntegrityProblem(scope, expected, IntegrityProblemKind.BrokenLink, "The record does not chain to the one before it (altered, swapped or removed)."));
                }

                if (expected >= head.NextSequence)
                {
                    return (count, new IntegrityProblem(scope, expected, IntegrityProblemKind.Reordered, "Records exist past the conversation's checkpoint."));
                }

                if (decrypt)
                {
                    try
                    {
                        if (key is null)
                        {
                            throw new TranscriptIntegrityException("The subject's data key is missing.");
                        }

                        _ = Decrypt(head, key, record);
                    }
                    catch (TranscriptIntegrityException)
                    {
                        return (count, new IntegrityProblem(scope, expected, IntegrityProblemKind.Undecryptable, "The record fails its key commitment or authentication tag."));
                    }
                }

                previous = TranscriptRecordFormat.ChainHash(record);
                expected++;
                count++;
            }

            if (page.Count < Page)
            {
                break;
            }
        }

        if (expected < head.NextSequence)
        {
            return (count, new IntegrityProblem(scope, expected, IntegrityProblemKind.Truncated, $"The chain ends at {expected} but its checkpoint says {head.NextSequence}."));
        }

        if (!previous.AsSpan().SequenceEqual(head.LastHash.Span))
        {
            return (count, new IntegrityProblem(scope, expected, IntegrityProblemKind.BrokenLink, "The last record does not match the checkpoint."));
        }

        return (count, null);
    }

    internal async ValueTask<SubjectKey?> GetSubjectKeyAsync(string tenant, string subject, bool create, CancellationToken cancellationToken)
    {
        if (_subjectKeys.TryGetValue((tenant, subject), out SubjectKey? cached))
        {
            return cached;
        }

        StoredSubjectKey? stored = await _store.GetSubjectKeyAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            if (!create)
            {
                return null;
            }

            (Guid masterId, byte[] master) = await _ring.GetActiveMasterAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            var keyId = Guid.CreateVersion7(now);
            byte[] fresh = RandomNumberGenerator.GetBytes(32);
            byte[] wrapped = TranscriptKeyWrap.Wrap(master, fresh, TranscriptKeyWrap.SubjectKeyContext(tenant, subject, keyId, masterId));
            stored = await _store.GetOrAddSubjectKeyAsync(new StoredSubjectKey(tenant, subject, keyId, masterId, now, wrapped), cancellationToken).ConfigureAwait(false);
            if (stored.KeyId == keyId)
            {
                return Cache(tenant, subject, new SubjectKey(keyId, fresh));
            }

            CryptographicOperations.ZeroMemory(fresh);
        }

        byte[] masterKey = await _ring.GetMasterAsync(stored.MasterKeyId, cancellationToken).ConfigureAwait(false);
        byte[] plain = TranscriptKeyWrap.Unwrap(masterKey, stored.WrappedKey.Span, TranscriptKeyWrap.SubjectKeyContext(tenant, subject, stored.KeyId, stored.MasterKeyId));
        return Cache(tenant, subject, new SubjectKey(stored.KeyId, plain));
    }

    private SubjectKey Cache(string tenant, string subject, SubjectKey key)
    {
        if (_options.SubjectKeyCacheSize == 0)
        {
            return key;
        }

        if (_subjectKeys.Count >= _options.SubjectKeyCacheSize)
        {
            _subjectKeys.Clear();
        }

        return _subjectKeys.GetOrAdd((tenant, subject), key);
    }

    private async ValueTask<int> RewrapSubjectKeysAsync(Guid fromMasterId, Guid toMasterId, CancellationToken cancellationToken)
    {
        byte[] from = await _ring.GetMasterAsync(fromMasterId, cancellationToken).ConfigureAwait(false);
        byte[] to = await _ring.GetMasterAsync(toMasterId, cancellationToken).ConfigureAwait(false);
        int rewrapped = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<StoredSubjectKey> keys = await _store.GetSubjectKeysWrappedByAsync(fromMasterId, Page, cancellationToken).ConfigureAwait(false);
            int progress = 0;
            foreach (StoredSubjectKey key in keys)
            {
                byte[] plain = TranscriptKeyWrap.Unwrap(from, key.WrappedKey.Span, TranscriptKeyWrap.SubjectKeyContext(key.Tenant, key.Subject, key.KeyId, fromMasterId));
                try
                {
                    byte[] wrapped = TranscriptKeyWrap.Wrap(to, plain, TranscriptKeyWrap.SubjectKeyContext(key.Tenant, key.Subject, key.KeyId, toMasterId));
                    if (await _store.TryReplaceSubjectKeyAsync(key with { MasterKeyId = toMasterId, WrappedKey = wrapped }, fromMasterId, cancellationToken).ConfigureAwait(false))
                    {
                        rewrapped++;
                    }

                    progress++;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plain);
                }
            }

            if (keys.Count < Page || progress == 0)
            {
                return rewrapped;
            }
        }
    }

    private async ValueTask RewrapUnderCurrentRootAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        string rootId = _ring.Root.KeyId;
        foreach (StoredKey key in await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.DestroyedAt is null && !string.Equals(key.RootKeyId, rootId, StringComparison.Ordinal))
            {
                WrappedKey wrapped = await _ring.RewrapUnderRootAsync(key, cancellationToken).ConfigureAwait(false);
                await _ring.UpdateAsync(
                    key with { RootKeyId = wrapped.KeyId, WrappedKey = wrapped.Ciphertext.ToArray() },
                    new AuditDraft(now, AuditKinds.KeyRotated, null, null, null, null, AuditDetail.Of(("keyId", key.Id), ("fromRootKeyId", key.RootKeyId), ("toRootKeyId", wrapped.KeyId))),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Destroys master keys that expired at least two key-ring refresh intervals ago (so no host can still be wrapping
    /// under them) and wrap no subject key any more.
    /// </summary>
    private async ValueTask DestroyRetiredKeysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (StoredKey key in await _ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.Kind == TranscriptKeyKind.Master && key.DestroyedAt is null && key.ExpiresAt + (2 * _options.KeyRingRefreshInterval) <= now
                && (await _store.GetSubjectKeysWrappedByAsync(key.Id, 1, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                await _ring.UpdateAsync(
                    key with { DestroyedAt = now, WrappedKey = ReadOnlyMemory<byte>.Empty },
                    new AuditDraft(now, AuditKinds.KeyDestroyed, null, null, null, null, AuditDetail.Of(("keyId", key.Id))),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        (IReadOnlyList<ConversationHead> heads, SubjectKey? key) = await HeadsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        return [.. heads.Select(h => new TranscriptConversationInfo(OpenLabel(key!, h), h.Conversation, h.NextSequence - h.BaseSequence, h.CreatedAt, h.UpdatedAt))];
    }

    /// <summary>A subject's conversation heads and, when there are any, its data key.</summary>
    private async ValueTask<(IReadOnlyList<ConversationHead> Heads, SubjectKey? Key)> HeadsAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConversationHead> heads = await _store.GetConversationsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        if (heads.Count == 0)
        {
            return (heads, null);
        }

        SubjectKey key = await GetSubjectKeyAsync(tenant, subject, create: false, cancellationToken).ConfigureAwait(false)
            ?? throw new TranscriptIntegrityException("The subject has conversations but no data key.");
        return (heads, key);
    }

    private static string OpenLabel(SubjectKey key, ConversationHead head)
    {
        try
        {
            return TranscriptKeyWrap.OpenLabel(key.Key, head.Conversation, head.SealedLabel.Span);
        }
        catch (CryptographicException ex)
        {
            throw new TranscriptIntegrityException("A conversation label fails authentication.", ex);
        }
    }

    private async ValueTask<(string Tenant, string Subject)> SubjectPseudonymsAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        TranscriptAddress.ValidateId(tenant, nameof(tenant));
        TranscriptAddress.ValidateId(subject, nameof(subject));
        TranscriptPseudonyms ids = await _ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return (ids.Tenant(tenant), ids.Subject(tenant, subject));
    }

    private async ValueTask AuditAsync(string kind, string? actor, string? tenant, string? subject, string? conversation, string detail, CancellationToken cancellationToken)
    {
        TranscriptAuditSealer sealer = await _ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        await _store.AppendAuditAsync(new AuditDraft(_time.GetUtcNow(), kind, actor, tenant, subject, conversation, detail), sealer, cancellationToken).ConfigureAwait(false);
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal sealed record SubjectKey(Guid Id, byte[] Key);

    private sealed class CapturingSealer(IAuditSealer inner) : IAuditSealer
    {
        public AuditEntry? Last { get; private set; }

        public AuditEntry Seal(AuditEntry? previous, AuditDraft draft)
        {
            AuditEntry entry = inner.Seal(previous, draft);
            Last = entry;
            return entry;
        }
    }
}
