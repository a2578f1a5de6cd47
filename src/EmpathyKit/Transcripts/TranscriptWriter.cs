using EmpathyKit.Transcripts.Storage;
using SubjectKey = EmpathyKit.Transcripts.TranscriptVault.SubjectKey;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The write side of the append path: what the <see cref="TranscriptWriteQueue"/> calls to commit a batch of queued
/// appends. Seals each append's records against the locked conversation head (sequence, chain hash, checkpoint) and
/// seals an append again under the subject's new data key when the subject was erased before its first message.
/// </summary>
internal sealed class TranscriptWriter
{
    private readonly TranscriptVaultContext _context;

    public TranscriptWriter(TranscriptVaultContext context)
    {
        _context = context;
    }

    /// <summary>Commits a batch of queued appends in one store transaction (the write queue's callback).</summary>
    public async ValueTask WriteAsync(IReadOnlyList<WriteItem> items, CancellationToken cancellationToken)
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
        _context.SubjectKeys.TryRemove((item.Tenant, item.Subject), out _);
        _context.Windows.RemoveSubject(item.Tenant, item.Subject);
        StoredSubjectKey? stored = await _context.Store.GetSubjectKeyAsync(item.Tenant, item.Subject, cancellationToken).ConfigureAwait(false);
        if (stored?.KeyId == item.SubjectKeyId)
        {
            return false;
        }

        IReadOnlyList<Tombstone> erasures = await _context.Store.GetTombstonesAsync(item.Tenant, item.Subject, cancellationToken).ConfigureAwait(false);
        DateTimeOffset received = item.Records.Min(r => r.CreatedAt);
        if (erasures.Count == 0 || erasures.Any(e => e.ErasedAt >= received))
        {
            return false;
        }

        SubjectKey fresh = (await _context.GetSubjectKeyAsync(item.Tenant, item.Subject, create: true, cancellationToken).ConfigureAwait(false))!;
        item.Rekey(fresh.Id, (byte[])fresh.Key.Clone());
        return true;
    }

    private async ValueTask WriteOnceAsync(IReadOnlyList<WriteItem> items, CancellationToken cancellationToken)
    {
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        TranscriptAuditSealer sealer = await _context.Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
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

        await _context.Store.AppendAsync(batches, sealer, cancellationToken).ConfigureAwait(false);
    }

    private static SealedAppend Seal(TranscriptPseudonyms ids, WriteItem item, ConversationHead? head, DateTimeOffset now)
    {
        if (head is not null)
        {
            if (!string.Equals(head.Tenant, item.Tenant, StringComparison.Ordinal) || !string.Equals(head.Subject, item.Subject, StringComparison.Ordinal))
            {
                throw new TranscriptAccessException("The conversation belongs to another subject.");
            }

            TranscriptVaultContext.CheckCheckpoint(ids, head);
        }

        long sequence = head?.NextSequence ?? 0;
        byte[] previous = head?.LastHash.ToArray() ?? TranscriptVaultContext.ZeroHash;
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
            ? new ConversationHead(item.Tenant, item.Subject, item.Conversation, 0, TranscriptVaultContext.ZeroHash, sequence, previous, ReadOnlyMemory<byte>.Empty, TranscriptKeyWrap.SealLabel(item.SubjectKey, item.Conversation, item.ConversationId), item.Records[0].CreatedAt, now)
            : head with { NextSequence = sequence, LastHash = previous, UpdatedAt = now };
        return new SealedAppend(TranscriptVaultContext.WithCheckpoint(ids, next), records);
    }
}
