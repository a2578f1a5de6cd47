using System.Security.Cryptography.X509Certificates;

namespace EmpathyKit;

/// <summary>
/// Operations on the encrypted transcript for hosts and operators: read, list, export and erase a subject's data,
/// purge by retention, rotate and escrow keys, verify integrity, and read the audit log. Every operation is audited.
/// </summary>
public interface ITranscriptManager
{
    /// <summary>Reads a whole conversation, oldest first, checking its chain as it goes.</summary>
    /// <param name="address">Tenant, subject and conversation.</param>
    /// <param name="actor">Who asks (recorded in the audit log), if known.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="TranscriptAccessException">The conversation belongs to another subject.</exception>
    /// <exception cref="TranscriptIntegrityException">A record fails its chain or decryption.</exception>
    ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(TranscriptAddress address, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>Lists a subject's conversations.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="actor">Who asks, if known.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The conversations, oldest first.</returns>
    ValueTask<IReadOnlyList<TranscriptConversationInfo>> ListConversationsAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports everything held about a subject as JSON (GDPR Art. 15 and 20), optionally encrypted to a recipient's RSA
    /// certificate as CMS (AES-256-CBC content, RSA-OAEP-SHA256 key transport, with a SHA-256 check value inside).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="recipient">The certificate to encrypt to, or <see langword="null"/> for plain JSON.</param>
    /// <param name="actor">Who asks, if known.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The JSON bytes, or the CMS envelope.</returns>
    ValueTask<byte[]> ExportSubjectAsync(string tenant, string subject, X509Certificate2? recipient = null, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases a subject by crypto-shredding (GDPR Art. 17): destroys its data key, deletes its conversations and records,
    /// writes a tombstone and an erasure certificate to the audit log. Appends racing the erasure are refused.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="actor">Who asks, if known.</param>
    /// <param name="cancellationToken">Cancels the erasure before it commits.</param>
    /// <returns>The erasure certificate.</returns>
    ValueTask<ErasureCertificate> EraseSubjectAsync(string tenant, string subject, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes every record past its retention (the expiry bound into each record).</summary>
    /// <param name="cancellationToken">Cancels between conversations.</param>
    /// <returns>What was purged.</returns>
    ValueTask<PurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Rotates now: creates a master key that is active at once, re-wraps every subject key under it, and marks older
    /// master keys expired. Nothing is re-encrypted: records are sealed under subject keys.
    /// </summary>
    /// <param name="cancellationToken">Cancels between subject keys (a later rotation finishes the job).</param>
    /// <returns>What was rotated.</returns>
    ValueTask<KeyRotationResult> RotateKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists the store's master keys and their status.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys, oldest first.</returns>
    ValueTask<IReadOnlyList<MasterKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a master key (for example after suspected exposure): subject keys it wraps are re-wrapped under the active
    /// key first, then it can no longer unwrap anything. The active key cannot be revoked; rotate first.
    /// </summary>
    /// <param name="keyId">The master key.</param>
    /// <param name="cancellationToken">Cancels the revocation.</param>
    /// <returns>A task that completes when it is revoked.</returns>
    ValueTask RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports the store's master and index keys to an RSA certificate (CMS, RSA-OAEP-SHA256, a check value per key) for
    /// escrow. Never used for transcripts themselves.
    /// </summary>
    /// <param name="recipient">The escrow certificate (RSA).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The CMS envelope.</returns>
    ValueTask<byte[]> EscrowKeysAsync(X509Certificate2 recipient, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovers the store's keys from an escrow envelope after the root key was lost or replaced: every key the current
    /// root cannot unwrap is taken from the envelope, proved genuine against the store (the index key must verify the
    /// audit log's first entry; a master key must unwrap a subject key it wraps) and re-wrapped under the current root.
    /// A forged envelope (anyone with the public certificate can make one) is refused.
    /// </summary>
    /// <param name="envelope">The CMS envelope from <see cref="EscrowKeysAsync"/>.</param>
    /// <param name="escrowCertificate">The escrow certificate with its RSA private key.</param>
    /// <param name="actor">Who recovers (recorded in the audit log).</param>
    /// <param name="cancellationToken">Cancels the recovery between keys (running it again finishes the job).</param>
    /// <returns>What was recovered.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The envelope does not open, is not an escrow of this store, or its index key does not verify the audit log.</exception>
    ValueTask<KeyRecoveryResult> RecoverKeysAsync(ReadOnlyMemory<byte> envelope, X509Certificate2 escrowCertificate, string? actor = null, CancellationToken cancellationToken = default);

    /// <summary>Verifies the hash chains and checkpoints of one conversation, or of all when <paramref name="address"/> is null.</summary>
    /// <param name="address">The conversation, or <see langword="null"/> for every conversation.</param>
    /// <param name="decrypt">Also decrypt every record (checks commitment and tag, needs the keys).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report: the first broken link, reordering or truncation of each conversation.</returns>
    ValueTask<IntegrityReport> VerifyIntegrityAsync(TranscriptAddress? address = null, bool decrypt = false, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit log.</summary>
    /// <param name="fromSequence">The first entry wanted.</param>
    /// <param name="maxEntries">The most to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries in order.</returns>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAuditLogAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>Verifies the audit log's keyed hash chain from its first entry.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report.</returns>
    ValueTask<IntegrityReport> VerifyAuditLogAsync(CancellationToken cancellationToken = default);
}
