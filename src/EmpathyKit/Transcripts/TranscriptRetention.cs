using EmpathyKit.Diagnostics;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// Retention and erasure: the purge of records past their retention (each conversation rebased with a new checkpoint,
/// a conversation that fails its checkpoint skipped and logged by exception type only), and the erasure of a subject
/// (records, heads and data key deleted, a tombstone kept, the certificate tied to its audit entry).
/// </summary>
internal sealed class TranscriptRetention
{
    private readonly TranscriptVaultContext _context;

    public TranscriptRetention(TranscriptVaultContext context)
    {
        _context = context;
    }

    /// <inheritdoc cref="ITranscriptManager.EraseSubjectAsync"/>
    public async ValueTask<ErasureCertificate> EraseSubjectAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await _context.SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        var tombstone = new Tombstone(t, s, Guid.CreateVersion7(now), now);
        var sealer = new CapturingSealer(await _context.Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false));
        _context.SubjectKeys.TryRemove((t, s), out _);
        ErasureCounts counts = await _context.Store.EraseSubjectAsync(
            tombstone,
            c => new AuditDraft(now, AuditKinds.Erase, actor, t, s, null, AuditDetail.Of(
                ("erasureId", tombstone.ErasureId), ("erasedAt", now), ("conversations", c.Conversations), ("records", c.Records), ("dataKeyDestroyed", c.KeyDestroyed))),
            sealer,
            cancellationToken).ConfigureAwait(false);
        _context.SubjectKeys.TryRemove((t, s), out _);
        _context.Windows.RemoveSubject(t, s);
        AuditEntry entry = sealer.Last ?? throw new InvalidOperationException("The store did not write the erasure's audit entry.");
        return new ErasureCertificate(tombstone.ErasureId, t, s, now, counts.Conversations, counts.Records, counts.KeyDestroyed, entry.Sequence, Convert.ToHexStringLower(entry.Hash.Span));
    }

    /// <inheritdoc cref="ITranscriptManager.PurgeExpiredAsync"/>
    public async ValueTask<PurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        TranscriptAuditSealer sealer = await _context.Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        int conversations = 0;
        long records = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<ExpiredRange> ranges = await _context.Store.FindExpiredAsync(now, 100, cancellationToken).ConfigureAwait(false);
            List<ExpiredRange> todo = [.. ranges.Where(r => !skipped.Contains(r.Conversation))];
            if (todo.Count == 0)
            {
                break;
            }

            foreach (ExpiredRange range in todo)
            {
                try
                {
                    long deleted = await _context.Store.PurgeAsync(
                        range.Conversation,
                        range.ThroughSequence,
                        (head, baseSequence, baseHash) =>
                        {
                            TranscriptVaultContext.CheckCheckpoint(ids, head);
                            return TranscriptVaultContext.WithCheckpoint(ids, head with { BaseSequence = baseSequence, BaseHash = baseHash.ToArray() });
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
                    Log.TranscriptPurgeSkipped(_context.Logger, ex.GetType().Name);
                }
            }
        }

        return new PurgeResult(conversations, records);
    }

    /// <summary>Keeps the last audit entry the store sealed (the erasure's, for its certificate).</summary>
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
