using System.Security.Cryptography;
using EmpathyKit.Transcripts.Storage;
using SubjectKey = EmpathyKit.Transcripts.TranscriptVault.SubjectKey;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The read side: a conversation's latest records for a turn (served from the history windows where they still
/// chain), a whole conversation for an operator, strict or around unreadable records, and a subject's conversation
/// list. Reads, checks and decrypts chains for the other parts too (the subject export).
/// </summary>
internal sealed class TranscriptReader
{
    private readonly TranscriptVaultContext _context;
    private readonly TranscriptWriteQueue _queue;

    public TranscriptReader(TranscriptVaultContext context, TranscriptWriteQueue queue)
    {
        _context = context;
        _queue = queue;
    }

    /// <summary>Reads a conversation's latest <paramref name="maxEntries"/> entries (at least one; the vault checked the arguments).</summary>
    public async ValueTask<TranscriptHistory> ReadLatestAsync(TranscriptAddress address, int maxEntries, bool readAround, CancellationToken cancellationToken)
    {
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
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (string Tenant, string Subject) subject = (ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject));
        if (!_context.SubjectKeys.TryGetValue(subject, out SubjectKey? cached))
        {
            return false;
        }

        StoredSubjectKey? stored = await _context.Store.GetSubjectKeyAsync(subject.Tenant, subject.Subject, cancellationToken).ConfigureAwait(false);
        if (stored?.KeyId == cached.Id)
        {
            return false;
        }

        _context.SubjectKeys.TryRemove(subject, out _);
        _context.Windows.RemoveSubject(subject.Tenant, subject.Subject);
        return true;
    }

    private async ValueTask<TranscriptHistory> ReadWindowAsync(TranscriptAddress address, int maxEntries, bool readAround, CancellationToken cancellationToken)
    {
        (ConversationHead? head, SubjectKey? key) = await OpenConversationAsync(address, cancellationToken).ConfigureAwait(false);
        if (head is null || key is null)
        {
            if (head is null && _context.Windows.Enabled)
            {
                _context.Windows.Remove((await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false)).Conversation(address.Tenant, address.Conversation));
            }

            return new TranscriptHistory([], 0);
        }

        long from = Math.Max(head.BaseSequence, head.NextSequence - maxEntries);
        if (maxEntries <= HistoryWindowCache.MaxEntries && _context.Windows.TryGet(head.Conversation, out HistoryWindowCache.Window window))
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
            _context.Windows.Put(head.Conversation, head.Tenant, head.Subject, head.NextSequence, head.LastHash, entries, maxEntries);
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
            _context.Windows.Remove(head.Conversation);
            return null;
        }

        IReadOnlyList<TranscriptEntry> fresh = [];
        if (window.Next == head.NextSequence)
        {
            if (!head.LastHash.Span.SequenceEqual(window.LastHash.Span))
            {
                _context.Windows.Remove(head.Conversation);
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
                _context.Windows.Remove(head.Conversation);
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
            _context.Windows.Put(head.Conversation, head.Tenant, head.Subject, head.NextSequence, head.LastHash, entries, maxEntries);
        }

        return entries;
    }

    /// <inheritdoc cref="ITranscriptManager.ReadConversationAsync"/>
    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        (await ReadConversationCoreAsync(address, actor, around: null, cancellationToken).ConfigureAwait(false)).Entries;

    /// <summary>
    /// Reads a whole conversation like <see cref="ReadConversationAsync"/>, but around records that cannot be read
    /// (damaged, missing or badly linked), which are counted (<c>empathykit transcripts read</c>). Audited the same way.
    /// </summary>
    public ValueTask<TranscriptHistory> ReadConversationAroundAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        ReadConversationCoreAsync(address, actor, new ReadAround(), cancellationToken);

    private async ValueTask<TranscriptHistory> ReadConversationCoreAsync(TranscriptAddress address, string? actor, ReadAround? around, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        (ConversationHead? head, SubjectKey? key) = await OpenConversationAsync(address, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TranscriptEntry> entries = head is null || key is null ? [] : await ReadRangeAsync(head, key, head.BaseSequence, cancellationToken, around: around).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string detail = around is null ? AuditDetail.Of(("records", entries.Count)) : AuditDetail.Of(("records", entries.Count), ("unreadable", around.Unreadable));
        await _context.AuditAsync(AuditKinds.Read, actor, ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject), ids.Conversation(address.Tenant, address.Conversation), detail, cancellationToken).ConfigureAwait(false);
        return new TranscriptHistory(entries, around?.Unreadable ?? 0);
    }

    /// <inheritdoc cref="ITranscriptManager.ListConversationsAsync"/>
    public async ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListConversationsAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await _context.SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TranscriptConversationInfo> list = await ListAsync(t, s, cancellationToken).ConfigureAwait(false);
        await _context.AuditAsync(AuditKinds.List, actor, t, s, null, AuditDetail.Of(("conversations", list.Count)), cancellationToken).ConfigureAwait(false);
        return list;
    }

    private async ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        (IReadOnlyList<ConversationHead> heads, SubjectKey? key) = await HeadsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        return [.. heads.Select(h => new TranscriptConversationInfo(OpenLabel(key!, h), h.Conversation, h.NextSequence - h.BaseSequence, h.CreatedAt, h.UpdatedAt))];
    }

    /// <summary>
    /// Opens a conversation by its tenant and id alone, for operators (who are not told the subject): the subject is the
    /// one the conversation's head names. Returns the pseudonyms too, for the audit entry; no head when it was never written
    /// (or was erased).
    /// </summary>
    public async ValueTask<OperatorConversation> OpenForOperatorAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string tenant = ids.Tenant(tenantId);
        string conversation = ids.Conversation(tenantId, conversationId);
        await _queue.WaitForConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        ConversationHead? head = await _context.Store.GetConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        if (head is null || !string.Equals(head.Tenant, tenant, StringComparison.Ordinal))
        {
            return new OperatorConversation(tenant, conversation, null, null);
        }

        TranscriptVaultContext.CheckCheckpoint(ids, head);
        return new OperatorConversation(tenant, conversation, head, await _context.GetSubjectKeyAsync(tenant, head.Subject, create: false, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<(ConversationHead? Head, SubjectKey? Key)> OpenConversationAsync(TranscriptAddress address, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string tenant = ids.Tenant(address.Tenant);
        string subject = ids.Subject(address.Tenant, address.Subject);
        string conversation = ids.Conversation(address.Tenant, address.Conversation);
        await _queue.WaitForConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        ConversationHead? head = await _context.Store.GetConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return (null, null);
        }

        if (!string.Equals(head.Tenant, tenant, StringComparison.Ordinal) || !string.Equals(head.Subject, subject, StringComparison.Ordinal))
        {
            throw new TranscriptAccessException("The conversation belongs to another subject.");
        }

        TranscriptVaultContext.CheckCheckpoint(ids, head);
        return (head, await _context.GetSubjectKeyAsync(tenant, subject, create: false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Reads, checks and decrypts records <paramref name="from"/> to the head. Strict (no <paramref name="around"/>): the
    /// first record that is missing, out of order, badly linked or undecryptable throws. Reading around: such a record
    /// is counted in <paramref name="around"/> and skipped, and the chain is picked up again at the next record that
    /// authenticates (its link is in its own authenticated data, so it is genuine whatever happened before it).
    /// </summary>
    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadRangeAsync(ConversationHead head, SubjectKey key, long from, CancellationToken cancellationToken, ReadOnlyMemory<byte>? chainsTo = null, ReadAround? around = null)
    {
        var entries = new List<TranscriptEntry>((int)Math.Min(head.NextSequence - from, 4_096));
        byte[]? previous = chainsTo is { } known ? known.ToArray() : from == head.BaseSequence ? head.BaseHash.ToArray() : null;
        long expected = from;
        while (expected < head.NextSequence)
        {
            int want = (int)Math.Min(TranscriptVaultContext.Page, head.NextSequence - expected);
            IReadOnlyList<StoredRecord> page = await _context.Store.ReadRecordsAsync(head.Conversation, expected, want, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Decrypts one record at its place in the conversation; a record that fails to open throws <see cref="TranscriptIntegrityException"/>.</summary>
    public static TranscriptEntry Decrypt(ConversationHead head, SubjectKey key, StoredRecord record)
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

    /// <summary>A subject's conversation heads and, when there are any, its data key.</summary>
    public async ValueTask<(IReadOnlyList<ConversationHead> Heads, SubjectKey? Key)> HeadsAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConversationHead> heads = await _context.Store.GetConversationsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        if (heads.Count == 0)
        {
            return (heads, null);
        }

        SubjectKey key = await _context.GetSubjectKeyAsync(tenant, subject, create: false, cancellationToken).ConfigureAwait(false)
            ?? throw new TranscriptIntegrityException("The subject has conversations but no data key.");
        return (heads, key);
    }

    /// <summary>Opens a conversation's sealed label (the host's conversation id).</summary>
    public static string OpenLabel(SubjectKey key, ConversationHead head)
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

    /// <summary>Counts the records a read went around.</summary>
    public sealed class ReadAround
    {
        public int Unreadable { get; set; }
    }
}

/// <summary>A conversation opened for an operator: its pseudonyms, and its head and subject key when it has a transcript.</summary>
internal sealed record OperatorConversation(string Tenant, string Conversation, ConversationHead? Head, SubjectKey? Key);
