using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// Retention and erasure: the purge of records past their retention (each conversation rebased with a new checkpoint,
/// a conversation that fails its checkpoint skipped and logged by exception type only), and the erasure of a subject
/// (records, heads and data key deleted, a tombstone kept, the certificate tied to its audit entry), with the
/// escalations and control states of the subject's conversations in the escalation store.
/// </summary>
internal sealed class TranscriptRetention
{
    private readonly TranscriptVaultContext _context;
    private readonly TranscriptWriteQueue _queue;
    private readonly TranscriptReader _reader;
    private readonly Func<IEscalationStore?> _escalations;

    public TranscriptRetention(TranscriptVaultContext context, TranscriptWriteQueue queue, TranscriptReader reader, Func<IEscalationStore?>? escalations)
    {
        _context = context;
        _queue = queue;
        _reader = reader;
        _escalations = escalations ?? (static () => null);
    }

    /// <inheritdoc cref="ITranscriptManager.EraseSubjectAsync"/>
    public async ValueTask<ErasureCertificate> EraseSubjectAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await _context.SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        var tombstone = new Tombstone(t, s, Guid.CreateVersion7(now), now);
        var sealer = new CapturingSealer(await _context.Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false));

        // The subject's queued appends land first, so a conversation whose first turn is still queued is found (and
        // erased) too. Then the escalation store: after the transcript erasure the conversation ids can no longer be read. A
        // failure here leaves the transcripts as they were, so the erasure can simply be asked for again.
        await _queue.WaitForSubjectAsync(t, s, cancellationToken).ConfigureAwait(false);
        (EscalationErasure escalations, int states) = await EraseEscalationsAsync(tenant, t, s, now, cancellationToken).ConfigureAwait(false);
        _context.SubjectKeys.TryRemove((t, s), out _);
        ErasureCounts counts = await _context.Store.EraseSubjectAsync(
            tombstone,
            c => new AuditDraft(now, AuditKinds.Erase, actor, t, s, null, AuditDetail.Of(
                ("erasureId", tombstone.ErasureId), ("erasedAt", now), ("conversations", c.Conversations), ("records", c.Records), ("dataKeyDestroyed", c.KeyDestroyed),
                ("escalations", escalations.Erased), ("escalationsAwaitingDelivery", escalations.AwaitingDelivery), ("conversationStates", states))),
            sealer,
            cancellationToken).ConfigureAwait(false);
        _context.SubjectKeys.TryRemove((t, s), out _);
        _context.Windows.RemoveSubject(t, s);
        AuditEntry entry = sealer.Last ?? throw new InvalidOperationException("The store did not write the erasure's audit entry.");
        return new ErasureCertificate(tombstone.ErasureId, t, s, now, counts.Conversations, counts.Records, counts.KeyDestroyed, entry.Sequence, Convert.ToHexStringLower(entry.Hash.Span))
        {
            Escalations = escalations.Erased,
            EscalationsAwaitingDelivery = escalations.AwaitingDelivery,
            ConversationStates = states,
        };
    }

    // The subject's conversation ids come from their sealed labels; one that no longer opens is skipped (its
    // transcript is still erased, and its escalations can be found by nothing else).
    private async ValueTask<(EscalationErasure Escalations, int States)> EraseEscalationsAsync(string tenantId, string tenant, string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_escalations() is not { } store)
        {
            return (EscalationErasure.None, 0);
        }

        IReadOnlyList<ConversationHead> heads;
        TranscriptVault.SubjectKey? key;
        try
        {
            (heads, key) = await _reader.HeadsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        }
        catch (TranscriptIntegrityException ex)
        {
            // No data key for conversations that exist: no label opens, and the transcripts must still be erasable.
            Log.TranscriptEraseLabelSkipped(_context.Logger, ex.GetType().Name);
            return (EscalationErasure.None, 0);
        }

        var ids = new List<string>(heads.Count);
        foreach (ConversationHead head in heads)
        {
            try
            {
                ids.Add(TranscriptReader.OpenLabel(key!, head));
            }
            catch (TranscriptIntegrityException ex)
            {
                Log.TranscriptEraseLabelSkipped(_context.Logger, ex.GetType().Name);
            }
        }

        int erased = 0, waiting = 0, states = 0;
        foreach (string[] batch in ids.Chunk(IEscalationStore.MaxErasureBatch))
        {
            EscalationErasure e = await store.EraseConversationsAsync(batch, now, cancellationToken).ConfigureAwait(false);
            erased += e.Erased;
            waiting += e.AwaitingDelivery;
            if (store is IConversationControlStore controls)
            {
                states += await controls.EraseControlAsync(tenantId, batch, cancellationToken).ConfigureAwait(false);
            }
        }

        return (new EscalationErasure(erased, waiting), states);
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
