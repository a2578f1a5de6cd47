using System.Security.Cryptography;
using EmpathyKit.Transcripts.Storage;
using SubjectKey = EmpathyKit.Transcripts.TranscriptVault.SubjectKey;

namespace EmpathyKit.Transcripts;

/// <summary>
/// Integrity verification: every conversation's hash chain against its keyed checkpoint (optionally decrypting each
/// record), the store's own storage check on a whole-store verify, and the audit log's chain and keyed hashes. Reports
/// problems rather than throwing on them; a chain verify is itself audited.
/// </summary>
internal sealed class TranscriptVerifier
{
    private readonly TranscriptVaultContext _context;
    private readonly TranscriptWriteQueue _queue;

    public TranscriptVerifier(TranscriptVaultContext context, TranscriptWriteQueue queue)
    {
        _context = context;
        _queue = queue;
    }

    /// <inheritdoc cref="ITranscriptManager.VerifyIntegrityAsync"/>
    public async ValueTask<IntegrityReport> VerifyIntegrityAsync(TranscriptAddress? address = null, bool decrypt = false, CancellationToken cancellationToken = default)
    {
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        await _queue.FlushAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<IntegrityProblem>();
        int chains = 0;
        long checkedRecords = 0;
        async ValueTask CheckAsync(string conversation)
        {
            ConversationHead? head = await _context.Store.GetConversationAsync(conversation, cancellationToken).ConfigureAwait(false);
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
                IReadOnlyList<string> page = await _context.Store.ListConversationsAsync(after, TranscriptVaultContext.Page, cancellationToken).ConfigureAwait(false);
                foreach (string conversation in page)
                {
                    await CheckAsync(conversation).ConfigureAwait(false);
                }

                if (page.Count < TranscriptVaultContext.Page)
                {
                    break;
                }

                after = page[^1];
            }
        }

        if (address is null && _context.Store is ITranscriptStorageCheck storage)
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

        await _context.AuditAsync(AuditKinds.Verify, null, null, null, null, AuditDetail.Of(("chains", chains), ("records", checkedRecords), ("problems", problems.Count), ("decrypt", decrypt)), cancellationToken).ConfigureAwait(false);
        return new IntegrityReport(chains, checkedRecords, problems);
    }

    /// <inheritdoc cref="ITranscriptManager.ReadAuditLogAsync"/>
    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAuditLogAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        return await _context.Store.ReadAuditAsync(fromSequence, maxEntries, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="ITranscriptManager.VerifyAuditLogAsync"/>
    public async ValueTask<IntegrityReport> VerifyAuditLogAsync(CancellationToken cancellationToken = default)
    {
        TranscriptAuditSealer sealer = await _context.Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        byte[] previous = TranscriptVaultContext.ZeroHash;
        long expected = 0;
        while (true)
        {
            IReadOnlyList<AuditEntry> page = await _context.Store.ReadAuditAsync(expected, TranscriptVaultContext.Page, cancellationToken).ConfigureAwait(false);
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

            if (page.Count < TranscriptVaultContext.Page)
            {
                return new IntegrityReport(1, expected, []);
            }
        }

        IntegrityReport Broken(IntegrityProblemKind kind, string description) =>
            new(1, expected, [new IntegrityProblem("audit", expected, kind, description)]);
    }

    private async ValueTask<(long Records, IntegrityProblem? Problem)> VerifyChainAsync(TranscriptPseudonyms ids, ConversationHead head, bool decrypt, CancellationToken cancellationToken)
    {
        string scope = head.Conversation;
        if (!CryptographicOperations.FixedTimeEquals(TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head), head.Checkpoint.Span))
        {
            return (0, new IntegrityProblem(scope, head.NextSequence, IntegrityProblemKind.CheckpointInvalid, "The conversation's checkpoint does not verify: its head was altered."));
        }

        SubjectKey? key = decrypt ? await _context.GetSubjectKeyAsync(head.Tenant, head.Subject, create: false, cancellationToken).ConfigureAwait(false) : null;
        byte[] previous = head.BaseHash.ToArray();
        long expected = head.BaseSequence;
        long count = 0;
        while (true)
        {
            IReadOnlyList<StoredRecord> page = await _context.Store.ReadRecordsAsync(head.Conversation, expected, TranscriptVaultContext.Page, cancellationToken).ConfigureAwait(false);
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

                        _ = TranscriptReader.Decrypt(head, key, record);
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

            if (page.Count < TranscriptVaultContext.Page)
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
}
