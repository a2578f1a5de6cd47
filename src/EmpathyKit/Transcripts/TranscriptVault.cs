using System.Security.Cryptography.X509Certificates;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The encrypted transcript: the key hierarchy (root provider → master key ring → subject data keys → one HKDF
/// record key per record), pseudonymous ids, per-conversation hash chains with keyed checkpoints, the audit log, the
/// queued writer, and every management operation. Stores only ever see what this class seals.
/// </summary>
/// <remarks>
/// A coordinator: it takes appends into the write queue and hands every other job to one part, all sharing one
/// <see cref="TranscriptVaultContext"/>: <see cref="TranscriptWriter"/> (sealing queued appends),
/// <see cref="TranscriptReader"/> (reads and lists), <see cref="TranscriptExport"/> (subject export),
/// <see cref="TranscriptEscrow"/> (key escrow and recovery), <see cref="TranscriptVerifier"/> (chains and audit log),
/// <see cref="TranscriptKeyLifecycle"/> (rotate, list, revoke, rewrap, destroy retired) and
/// <see cref="TranscriptRetention"/> (purge and erasure).
/// </remarks>
internal sealed class TranscriptVault : ITranscriptLog, ITranscriptManager, IAsyncDisposable, IDisposable
{
    private readonly TranscriptVaultContext _context;
    private readonly TranscriptWriteQueue _queue;
    private readonly TranscriptReader _reader;
    private readonly TranscriptExport _export;
    private readonly TranscriptEscrow _escrow;
    private readonly TranscriptVerifier _verifier;
    private readonly TranscriptKeyLifecycle _keys;
    private readonly TranscriptRetention _retention;
    private int _disposed;

    public TranscriptVault(ITranscriptStore store, ITranscriptKeyProvider root, TranscriptOptions options, TimeProvider time, ILogger logger, Func<IEscalationStore?>? escalations = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        _context = new TranscriptVaultContext(store, root, options, time ?? TimeProvider.System, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _queue = new TranscriptWriteQueue(new TranscriptWriter(_context).WriteAsync, options, _context.Time, _context.Logger);
        _reader = new TranscriptReader(_context, _queue);
        _export = new TranscriptExport(_context, _queue, _reader);
        _escrow = new TranscriptEscrow(_context);
        _verifier = new TranscriptVerifier(_context, _queue);
        _keys = new TranscriptKeyLifecycle(_context);
        _retention = new TranscriptRetention(_context, _queue, _reader, escalations);
    }

    public ITranscriptStore Store => _context.Store;

    /// <summary>Gets the pseudonyms of an address (tests and the CLI).</summary>
    internal async ValueTask<(string Tenant, string Subject, string Conversation)> PseudonymsAsync(TranscriptAddress address, CancellationToken cancellationToken = default)
    {
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return (ids.Tenant(address.Tenant), ids.Subject(address.Tenant, address.Subject), ids.Conversation(address.Tenant, address.Conversation));
    }

    /// <summary>Gets the number of appends waiting in the write queue.</summary>
    public int QueueDepth => _queue.Depth;

    /// <summary>Gets the cached history windows (for tests).</summary>
    internal HistoryWindowCache HistoryWindows => _context.Windows;

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

        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        string tenant = ids.Tenant(address.Tenant);
        string subject = ids.Subject(address.Tenant, address.Subject);
        string conversation = ids.Conversation(address.Tenant, address.Conversation);
        SubjectKey key = (await _context.GetSubjectKeyAsync(tenant, subject, create: true, cancellationToken).ConfigureAwait(false))!;
        var records = new List<(byte[], DateTimeOffset, DateTimeOffset)>(entries.Count);
        foreach (TranscriptEntry entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var created = new DateTimeOffset(entry.CreatedAt.UtcTicks, TimeSpan.Zero);
            records.Add((TranscriptPayloadCodec.Encode(entry), created, created + _context.Options.Retention));
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

        return await _reader.ReadLatestAsync(address, maxEntries, readAround, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _queue.FlushAsync(cancellationToken);

    // ---------------------------------------------------------------- operators (by tenant and conversation)

    /// <summary>
    /// Reads a whole conversation for an operator, who knows its tenant and id but not its subject; audited as a read with
    /// the operator's id. Empty when the conversation has no transcript.
    /// </summary>
    internal async ValueTask<IReadOnlyList<TranscriptEntry>> ReadForOperatorAsync(string tenantId, string conversationId, string actor, CancellationToken cancellationToken) =>
        (await ReadForOperatorAsync(tenantId, conversationId, actor, audit: true, cancellationToken).ConfigureAwait(false)).Entries;

    /// <summary>
    /// Reads a whole conversation by tenant and id, with its pseudonym; audited as a read unless <paramref name="audit"/>
    /// is off (the console's own check that a rated reply exists, whose action is audited instead).
    /// </summary>
    internal async ValueTask<(string Conversation, IReadOnlyList<TranscriptEntry> Entries)> ReadForOperatorAsync(string tenantId, string conversationId, string actor, bool audit, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        OperatorConversation opened = await _reader.OpenForOperatorAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TranscriptEntry> entries = opened is { Head: { } head, Key: { } key }
            ? await _reader.ReadRangeAsync(head, key, head.BaseSequence, cancellationToken).ConfigureAwait(false)
            : [];
        if (audit)
        {
            await _context.AuditAsync(AuditKinds.Read, actor, opened.Tenant, opened.Head?.Subject, opened.Conversation, AuditDetail.Of(("records", entries.Count)), cancellationToken).ConfigureAwait(false);
        }

        return (opened.Conversation, entries);
    }

    /// <summary>Writes a content-free audit entry that names no conversation (an export's totals).</summary>
    internal ValueTask AuditAsync(string kind, string actor, string detail, CancellationToken cancellationToken) =>
        _context.AuditAsync(kind, actor, null, null, null, detail, cancellationToken);

    /// <summary>
    /// Appends entries (an operator's turn) to an existing conversation by its tenant and id, under the subject its head
    /// names. Throws <see cref="InvalidOperationException"/> when the conversation has no transcript.
    /// </summary>
    internal async ValueTask<TranscriptWriteReceipt> AppendForOperatorAsync(string tenantId, string conversationId, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        OperatorConversation opened = await _reader.OpenForOperatorAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        if (opened is not { Head: { } head, Key: { } key })
        {
            throw new InvalidOperationException("The conversation has no transcript to write to (it was never written, or its subject was erased).");
        }

        var records = new List<(byte[], DateTimeOffset, DateTimeOffset)>(entries.Count);
        foreach (TranscriptEntry entry in entries)
        {
            var created = new DateTimeOffset(entry.CreatedAt.UtcTicks, TimeSpan.Zero);
            records.Add((TranscriptPayloadCodec.Encode(entry), created, created + _context.Options.Retention));
        }

        var item = new WriteItem(opened.Tenant, head.Subject, opened.Conversation, conversationId, key.Id, (byte[])key.Key.Clone(), records);
        await _queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        return new TranscriptWriteReceipt(item.Done.Task);
    }

    /// <summary>Writes an operator action to the audit log, against the conversation's pseudonyms (content-free detail).</summary>
    internal async ValueTask AuditForOperatorAsync(string kind, string actor, string tenantId, string conversationId, string detail, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        OperatorConversation opened = await _reader.OpenForOperatorAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        await _context.AuditAsync(kind, actor, opened.Tenant, opened.Head?.Subject, opened.Conversation, detail, cancellationToken).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- ITranscriptManager

    public ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        _reader.ReadConversationAsync(address, actor, cancellationToken);

    /// <summary>
    /// Reads a whole conversation like <see cref="ReadConversationAsync"/>, but around records that cannot be read
    /// (damaged, missing or badly linked), which are counted (<c>empathykit transcripts read</c>). Audited the same way.
    /// </summary>
    internal ValueTask<TranscriptHistory> ReadConversationAroundAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default) =>
        _reader.ReadConversationAroundAsync(address, actor, cancellationToken);

    public ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListConversationsAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default) =>
        _reader.ListConversationsAsync(tenant, subject, actor, cancellationToken);

    public ValueTask<byte[]> ExportSubjectAsync(string tenant, string subject, X509Certificate2? recipient = null, string? actor = null, CancellationToken cancellationToken = default) =>
        _export.ExportSubjectAsync(tenant, subject, recipient, actor, cancellationToken);

    public ValueTask<ErasureCertificate> EraseSubjectAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default) =>
        _retention.EraseSubjectAsync(tenant, subject, actor, cancellationToken);

    public ValueTask<PurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken = default) =>
        _retention.PurgeExpiredAsync(cancellationToken);

    public ValueTask<KeyRotationResult> RotateKeysAsync(CancellationToken cancellationToken = default) =>
        _keys.RotateKeysAsync(cancellationToken);

    public ValueTask<IReadOnlyList<MasterKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        _keys.ListKeysAsync(cancellationToken);

    public ValueTask RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken = default) =>
        _keys.RevokeKeyAsync(keyId, cancellationToken);

    public ValueTask<byte[]> EscrowKeysAsync(X509Certificate2 recipient, CancellationToken cancellationToken = default) =>
        _escrow.EscrowKeysAsync(recipient, cancellationToken);

    public ValueTask<KeyRecoveryResult> RecoverKeysAsync(ReadOnlyMemory<byte> envelope, X509Certificate2 escrowCertificate, string? actor = null, CancellationToken cancellationToken = default) =>
        _escrow.RecoverKeysAsync(envelope, escrowCertificate, actor, cancellationToken);

    /// <summary>The check value of an escrowed key: the first 8 bytes of HMAC-SHA256(key, "EmpathyKit key check"), hex.</summary>
    internal static string KeyCheckValue(ReadOnlySpan<byte> key) => TranscriptEscrow.KeyCheckValue(key);

    public ValueTask<IntegrityReport> VerifyIntegrityAsync(TranscriptAddress? address = null, bool decrypt = false, CancellationToken cancellationToken = default) =>
        _verifier.VerifyIntegrityAsync(address, decrypt, cancellationToken);

    public ValueTask<IReadOnlyList<AuditEntry>> ReadAuditLogAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default) =>
        _verifier.ReadAuditLogAsync(fromSequence, maxEntries, cancellationToken);

    public ValueTask<IntegrityReport> VerifyAuditLogAsync(CancellationToken cancellationToken = default) =>
        _verifier.VerifyAuditLogAsync(cancellationToken);

    // ---------------------------------------------------------------- lifetime

    /// <summary>Flushes the write queue (up to <see cref="TranscriptOptions.FlushTimeout"/>) and forgets the keys. The store is not disposed: its owner does that.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.DisposeAsync().ConfigureAwait(false);
        _context.Ring.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // ---------------------------------------------------------------- internals

    /// <summary>Gets a subject's data key (see <see cref="TranscriptVaultContext.GetSubjectKeyAsync"/>).</summary>
    internal ValueTask<SubjectKey?> GetSubjectKeyAsync(string tenant, string subject, bool create, CancellationToken cancellationToken) =>
        _context.GetSubjectKeyAsync(tenant, subject, create, cancellationToken);

    /// <summary>A subject's data key: its id and the key bytes.</summary>
    internal sealed record SubjectKey(Guid Id, byte[] Key);
}
