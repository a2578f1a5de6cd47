using System.Collections.Concurrent;
using System.Security.Cryptography;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The store's key ring: the index key (pseudonyms, integrity) and the rotating master keys (created → active →
/// expired, or revoked, or destroyed), all wrapped by the root <see cref="ITranscriptKeyProvider"/> and kept in the
/// store so every host sharing it sees the same ring. Time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TranscriptKeyRing : IDisposable
{
    private readonly ITranscriptStore _store;
    private readonly ITranscriptKeyProvider _root;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<Guid, byte[]> _unwrapped = new();
    private IReadOnlyList<StoredKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private TranscriptPseudonyms? _index;
    private TranscriptAuditSealer? _sealer;

    public TranscriptKeyRing(ITranscriptStore store, ITranscriptKeyProvider root, TranscriptOptions options, TimeProvider time)
    {
        _store = store;
        _root = root;
        _options = options;
        _time = time;
    }

    public ITranscriptKeyProvider Root => _root;

    public async ValueTask<TranscriptPseudonyms> GetIndexAsync(CancellationToken cancellationToken)
    {
        if (_index is { } ready)
        {
            return ready;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_index is null)
            {
                await LoadIndexAsync(cancellationToken).ConfigureAwait(false);
            }

            return _index!;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask<TranscriptAuditSealer> GetSealerAsync(CancellationToken cancellationToken)
    {
        _ = await GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return _sealer!;
    }

    /// <summary>The master key that wraps new subject keys now; creates or rolls keys as the lifecycle requires.</summary>
    public async ValueTask<(Guid Id, byte[] Key)> GetActiveMasterAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        StoredKey? active = ActiveOf(_keys, now);
        if (active is null || now - _loadedAt > _options.KeyRingRefreshInterval || NeedsSuccessor(_keys, active, now))
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ReloadAsync(cancellationToken).ConfigureAwait(false);
                active = ActiveOf(_keys, now);
                if (active is null)
                {
                    await CreateMasterAsync(now, cancellationToken).ConfigureAwait(false);
                    active = ActiveOf(_keys, now) ?? throw new CryptographicException("No active transcript master key after creating one.");
                }

                if (NeedsSuccessor(_keys, active, now))
                {
                    await CreateMasterAsync(active.ExpiresAt, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _lock.Release();
            }
        }

        return (active.Id, await GetMasterAsync(active.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Unwraps a master key for unwrapping subject keys; refuses revoked and destroyed keys.</summary>
    public async ValueTask<byte[]> GetMasterAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_unwrapped.TryGetValue(id, out byte[]? cached))
        {
            return cached;
        }

        StoredKey? key = _keys.FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _lock.Release();
            }

            key = _keys.FirstOrDefault(k => k.Id == id) ?? throw new CryptographicException("The transcript master key is unknown.");
        }

        if (key.Kind != TranscriptKeyKind.Master || key.RevokedAt is not null || key.DestroyedAt is not null)
        {
            throw new CryptographicException("The transcript master key is revoked or destroyed.");
        }

        byte[] bytes = await _root.UnwrapKeyAsync(new WrappedKey(key.RootKeyId, key.WrappedKey), TranscriptKeyWrap.MasterKeyContext(key.Id, key.Kind), cancellationToken).ConfigureAwait(false);
        return _unwrapped.GetOrAdd(id, bytes);
    }

    public async ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            return _keys;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Unwraps any key of the ring (escrow only).</summary>
    public async ValueTask<byte[]> UnwrapAnyAsync(StoredKey key, CancellationToken cancellationToken) =>
        await _root.UnwrapKeyAsync(new WrappedKey(key.RootKeyId, key.WrappedKey), TranscriptKeyWrap.MasterKeyContext(key.Id, key.Kind), cancellationToken).ConfigureAwait(false);

    public StoredKey? Active(DateTimeOffset now) => ActiveOf(_keys, now);

    public static MasterKeyStatus StatusOf(StoredKey key, DateTimeOffset now, Guid? activeId) =>
        key.DestroyedAt is not null ? MasterKeyStatus.Destroyed
        : key.RevokedAt is not null ? MasterKeyStatus.Revoked
        : key.Id == activeId ? MasterKeyStatus.Active
        : key.ActivatesAt > now ? MasterKeyStatus.Created
        : MasterKeyStatus.Expired;

    /// <summary>Creates a master key that activates at <paramref name="activatesAt"/>.</summary>
    public async ValueTask<StoredKey> CreateMasterAsync(DateTimeOffset activatesAt, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        byte[] bytes = RandomNumberGenerator.GetBytes(32);
        try
        {
            WrappedKey wrapped = await _root.WrapKeyAsync(bytes, TranscriptKeyWrap.MasterKeyContext(id, TranscriptKeyKind.Master), cancellationToken).ConfigureAwait(false);
            var key = new StoredKey(id, TranscriptKeyKind.Master, now, activatesAt, activatesAt + _options.MasterKeyLifetime, null, null, wrapped.KeyId, wrapped.Ciphertext.ToArray());
            var audit = new AuditDraft(now, AuditKinds.KeyCreated, null, null, null, null, AuditDetail.Of(("keyId", id), ("kind", "master"), ("activatesAt", activatesAt), ("expiresAt", key.ExpiresAt), ("rootKeyId", wrapped.KeyId)));
            TranscriptAuditSealer sealer = _sealer ?? throw new InvalidOperationException("The index key must be loaded first.");
            await _store.TryAddKeyAsync(key, audit, sealer, cancellationToken).ConfigureAwait(false);
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public async ValueTask UpdateAsync(StoredKey key, AuditDraft audit, CancellationToken cancellationToken)
    {
        await _store.UpdateKeyAsync(key, audit, _sealer!, cancellationToken).ConfigureAwait(false);
        if (key.RevokedAt is not null || key.DestroyedAt is not null)
        {
            if (_unwrapped.TryRemove(key.Id, out byte[]? removed))
            {
                CryptographicOperations.ZeroMemory(removed);
            }
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask<WrappedKey> RewrapUnderRootAsync(StoredKey key, CancellationToken cancellationToken)
    {
        byte[] bytes = await UnwrapAnyAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return await _root.WrapKeyAsync(bytes, TranscriptKeyWrap.MasterKeyContext(key.Id, key.Kind), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Re-wraps under the current root every key it cannot unwrap, taking the bytes from an escrow (the caller has
    /// checked each key's check value). The escrow is trusted only as far as the store proves it: the index key must
    /// verify the audit log's first entry, and a master key must unwrap a subject key it wraps; a master key that wraps
    /// nothing cannot be proved, so it comes back revoked.
    /// </summary>
    public async ValueTask<KeyRecoveryResult> RecoverAsync(IReadOnlyDictionary<Guid, byte[]> escrowed, string? actor, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            StoredKey index = _keys.FirstOrDefault(k => k.Kind == TranscriptKeyKind.Index && k.DestroyedAt is null)
                ?? throw new CryptographicException("The store has no index key: there is nothing to recover.");
            byte[]? indexBytes = await TryUnwrapAsync(index, cancellationToken).ConfigureAwait(false);
            bool indexFromEscrow = indexBytes is null;
            if (indexBytes is null)
            {
                indexBytes = escrowed.TryGetValue(index.Id, out byte[]? fromEscrow)
                    ? (byte[])fromEscrow.Clone()
                    : throw new CryptographicException("The envelope does not hold this store's index key: it is an escrow of another store.");
            }

            TranscriptPseudonyms pseudonyms;
            try
            {
                pseudonyms = new TranscriptPseudonyms(indexBytes);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(indexBytes);
            }

            var sealer = new TranscriptAuditSealer(pseudonyms.IntegrityKey);
            AuditEntry? first = (await _store.ReadAuditAsync(0, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (first is null || !sealer.Verify(first, new byte[TranscriptRecordFormat.HashLength]))
            {
                pseudonyms.Dispose();
                throw new CryptographicException("The index key does not verify this store's audit log: the envelope is not a genuine escrow of this store.");
            }

            _index?.Dispose();
            _index = pseudonyms;
            _sealer = sealer;

            // Prove every key before writing any: a forged or damaged envelope changes nothing.
            int usable = 0, lost = 0;
            var plan = new List<(StoredKey Key, byte[] Bytes, bool Proved)>();
            foreach (StoredKey key in _keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (key.DestroyedAt is not null || (key.Kind == TranscriptKeyKind.Master && key.RevokedAt is not null))
                {
                    continue; // nothing can or may be unwrapped under these
                }

                if (key.Id == index.Id ? !indexFromEscrow : await CanUnwrapAsync(key, cancellationToken).ConfigureAwait(false))
                {
                    usable++;
                }
                else if (escrowed.TryGetValue(key.Id, out byte[]? bytes))
                {
                    plan.Add((key, bytes, key.Kind == TranscriptKeyKind.Index || await ProveMasterAsync(key, bytes, cancellationToken).ConfigureAwait(false)));
                }
                else
                {
                    lost++;
                }
            }

            DateTimeOffset now = _time.GetUtcNow();
            foreach ((StoredKey key, byte[] bytes, bool proved) in plan)
            {
                WrappedKey wrapped = await _root.WrapKeyAsync(bytes, TranscriptKeyWrap.MasterKeyContext(key.Id, key.Kind), cancellationToken).ConfigureAwait(false);
                StoredKey restored = key with { RootKeyId = wrapped.KeyId, WrappedKey = wrapped.Ciphertext.ToArray() };
                if (!proved)
                {
                    restored = restored with { RevokedAt = now, ExpiresAt = key.ExpiresAt > now ? now : key.ExpiresAt };
                }

                await _store.UpdateKeyAsync(
                    restored,
                    new AuditDraft(now, AuditKinds.KeyRecovered, actor, null, null, null, AuditDetail.Of(("keyId", key.Id), ("fromRootKeyId", key.RootKeyId), ("toRootKeyId", wrapped.KeyId), ("proved", proved))),
                    sealer,
                    cancellationToken).ConfigureAwait(false);
            }

            int recovered = plan.Count(p => p.Proved);
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            return new KeyRecoveryResult(recovered, usable, plan.Count - recovered, lost);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        foreach (byte[] key in _unwrapped.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _unwrapped.Clear();
        _index?.Dispose();
        _lock.Dispose();
    }

    private async ValueTask<bool> CanUnwrapAsync(StoredKey key, CancellationToken cancellationToken)
    {
        byte[]? bytes = await TryUnwrapAsync(key, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return false;
        }

        CryptographicOperations.ZeroMemory(bytes);
        return true;
    }

    private async ValueTask<byte[]?> TryUnwrapAsync(StoredKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await UnwrapAnyAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether escrowed master-key bytes unwrap a subject key the stored key wraps (false when it wraps none).</summary>
    private async ValueTask<bool> ProveMasterAsync(StoredKey key, byte[] bytes, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredSubjectKey> wrapped = await _store.GetSubjectKeysWrappedByAsync(key.Id, 1, cancellationToken).ConfigureAwait(false);
        if (wrapped.Count == 0)
        {
            return false;
        }

        StoredSubjectKey subject = wrapped[0];
        try
        {
            byte[] plain = TranscriptKeyWrap.Unwrap(bytes, subject.WrappedKey.Span, TranscriptKeyWrap.SubjectKeyContext(subject.Tenant, subject.Subject, subject.KeyId, key.Id));
            CryptographicOperations.ZeroMemory(plain);
            return true;
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException("The envelope's master key does not unwrap the subject keys it wraps: the envelope is not a genuine escrow of this store.", ex);
        }
    }

    private static StoredKey? ActiveOf(IReadOnlyList<StoredKey> keys, DateTimeOffset now)
    {
        StoredKey? best = null;
        foreach (StoredKey key in keys)
        {
            if (key.Kind == TranscriptKeyKind.Master && key.RevokedAt is null && key.DestroyedAt is null && key.ActivatesAt <= now && now < key.ExpiresAt
                && (best is null || (key.ActivatesAt, key.CreatedAt, key.Id).CompareTo((best.ActivatesAt, best.CreatedAt, best.Id)) > 0))
            {
                best = key;
            }
        }

        return best;
    }

    private bool NeedsSuccessor(IReadOnlyList<StoredKey> keys, StoredKey active, DateTimeOffset now) =>
        _options.AutoRollMasterKeys
        && active.ExpiresAt - now <= _options.MasterKeyRollAhead
        && !keys.Any(k => k.Kind == TranscriptKeyKind.Master && k.RevokedAt is null && k.DestroyedAt is null && k.ActivatesAt >= active.ExpiresAt);

    private async ValueTask ReloadAsync(CancellationToken cancellationToken)
    {
        _keys = await _store.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        _loadedAt = _time.GetUtcNow();
    }

    private async ValueTask LoadIndexAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        StoredKey? index = _keys.FirstOrDefault(k => k.Kind == TranscriptKeyKind.Index && k.DestroyedAt is null);
        if (index is null)
        {
            DateTimeOffset now = _time.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            byte[] candidate = RandomNumberGenerator.GetBytes(32);
            try
            {
                WrappedKey wrapped = await _root.WrapKeyAsync(candidate, TranscriptKeyWrap.MasterKeyContext(id, TranscriptKeyKind.Index), cancellationToken).ConfigureAwait(false);
                var key = new StoredKey(id, TranscriptKeyKind.Index, now, now, DateTimeOffset.MaxValue, null, null, wrapped.KeyId, wrapped.Ciphertext.ToArray());
                using var candidateIndex = new TranscriptPseudonyms(candidate);
                var audit = new AuditDraft(now, AuditKinds.KeyCreated, null, null, null, null, AuditDetail.Of(("keyId", id), ("kind", "index"), ("rootKeyId", wrapped.KeyId)));
                await _store.TryAddKeyAsync(key, audit, new TranscriptAuditSealer(candidateIndex.IntegrityKey), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(candidate);
            }

            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            index = _keys.FirstOrDefault(k => k.Kind == TranscriptKeyKind.Index && k.DestroyedAt is null)
                ?? throw new CryptographicException("The store did not keep the transcript index key.");
        }

        byte[] bytes = await UnwrapAnyAsync(index, cancellationToken).ConfigureAwait(false);
        try
        {
            var pseudonyms = new TranscriptPseudonyms(bytes);
            _sealer = new TranscriptAuditSealer(pseudonyms.IntegrityKey);
            _index = pseudonyms;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
