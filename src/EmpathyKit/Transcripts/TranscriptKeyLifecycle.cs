using System.Security.Cryptography;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The master keys' lifecycle: rotation (a new active key, the others expired, their subject keys rewrapped, every
/// key rewrapped under the current root key, retired keys destroyed), listing, and revocation (the key's subject keys
/// rewrapped under the active one first). Every change of a key is stored with its audit entry.
/// </summary>
internal sealed class TranscriptKeyLifecycle
{
    private readonly TranscriptVaultContext _context;

    public TranscriptKeyLifecycle(TranscriptVaultContext context)
    {
        _context = context;
    }

    /// <inheritdoc cref="ITranscriptManager.RotateKeysAsync"/>
    public async ValueTask<KeyRotationResult> RotateKeysAsync(CancellationToken cancellationToken = default)
    {
        _ = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        StoredKey created = await _context.Ring.CreateMasterAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (StoredKey key in await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.Kind == TranscriptKeyKind.Master && key.Id != created.Id && key.DestroyedAt is null && key.RevokedAt is null && key.ExpiresAt > now)
            {
                await _context.Ring.UpdateAsync(
                    key with { ActivatesAt = key.ActivatesAt > now ? now : key.ActivatesAt, ExpiresAt = now },
                    new AuditDraft(now, AuditKinds.KeyRotated, null, null, null, null, AuditDetail.Of(("keyId", key.Id), ("expiredAt", now), ("supersededBy", created.Id))),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        int rewrapped = 0;
        foreach (StoredKey key in await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
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

    /// <inheritdoc cref="ITranscriptManager.ListKeysAsync"/>
    public async ValueTask<IReadOnlyList<MasterKeyInfo>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        _ = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredKey> keys = await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        Guid? active = _context.Ring.Active(now)?.Id;
        return [.. keys.Where(k => k.Kind == TranscriptKeyKind.Master).OrderBy(k => k.CreatedAt)
            .Select(k => new MasterKeyInfo(k.Id, TranscriptKeyRing.StatusOf(k, now, active), k.CreatedAt, k.ActivatesAt, k.ExpiresAt, k.RootKeyId))];
    }

    /// <inheritdoc cref="ITranscriptManager.RevokeKeyAsync"/>
    public async ValueTask RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        _ = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (Guid activeId, _) = await _context.Ring.GetActiveMasterAsync(cancellationToken).ConfigureAwait(false);
        if (keyId == activeId)
        {
            throw new InvalidOperationException("The active master key cannot be revoked: rotate first, then revoke it.");
        }

        StoredKey key = (await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.Id == keyId && k.Kind == TranscriptKeyKind.Master)
            ?? throw new ArgumentException("No master key has that id.", nameof(keyId));
        if (key.RevokedAt is not null || key.DestroyedAt is not null)
        {
            return;
        }

        int rewrapped = await RewrapSubjectKeysAsync(keyId, activeId, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _context.Time.GetUtcNow();
        await _context.Ring.UpdateAsync(
            key with { RevokedAt = now, ExpiresAt = key.ExpiresAt > now ? now : key.ExpiresAt },
            new AuditDraft(now, AuditKinds.KeyRevoked, null, null, null, null, AuditDetail.Of(("keyId", keyId), ("subjectKeysRewrapped", rewrapped))),
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<int> RewrapSubjectKeysAsync(Guid fromMasterId, Guid toMasterId, CancellationToken cancellationToken)
    {
        byte[] from = await _context.Ring.GetMasterAsync(fromMasterId, cancellationToken).ConfigureAwait(false);
        byte[] to = await _context.Ring.GetMasterAsync(toMasterId, cancellationToken).ConfigureAwait(false);
        int rewrapped = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<StoredSubjectKey> keys = await _context.Store.GetSubjectKeysWrappedByAsync(fromMasterId, TranscriptVaultContext.Page, cancellationToken).ConfigureAwait(false);
            int progress = 0;
            foreach (StoredSubjectKey key in keys)
            {
                byte[] plain = TranscriptKeyWrap.Unwrap(from, key.WrappedKey.Span, TranscriptKeyWrap.SubjectKeyContext(key.Tenant, key.Subject, key.KeyId, fromMasterId));
                try
                {
                    byte[] wrapped = TranscriptKeyWrap.Wrap(to, plain, TranscriptKeyWrap.SubjectKeyContext(key.Tenant, key.Subject, key.KeyId, toMasterId));
                    if (await _context.Store.TryReplaceSubjectKeyAsync(key with { MasterKeyId = toMasterId, WrappedKey = wrapped }, fromMasterId, cancellationToken).ConfigureAwait(false))
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

            if (keys.Count < TranscriptVaultContext.Page || progress == 0)
            {
                return rewrapped;
            }
        }
    }

    private async ValueTask RewrapUnderCurrentRootAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        string rootId = _context.Ring.Root.KeyId;
        foreach (StoredKey key in await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.DestroyedAt is null && !string.Equals(key.RootKeyId, rootId, StringComparison.Ordinal))
            {
                WrappedKey wrapped = await _context.Ring.RewrapUnderRootAsync(key, cancellationToken).ConfigureAwait(false);
                await _context.Ring.UpdateAsync(
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
        foreach (StoredKey key in await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.Kind == TranscriptKeyKind.Master && key.DestroyedAt is null && key.ExpiresAt + (2 * _context.Options.KeyRingRefreshInterval) <= now
                && (await _context.Store.GetSubjectKeysWrappedByAsync(key.Id, 1, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                await _context.Ring.UpdateAsync(
                    key with { DestroyedAt = now, WrappedKey = ReadOnlyMemory<byte>.Empty },
                    new AuditDraft(now, AuditKinds.KeyDestroyed, null, null, null, null, AuditDetail.Of(("keyId", key.Id))),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
