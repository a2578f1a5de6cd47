using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging;
using SubjectKey = EmpathyKit.Transcripts.TranscriptVault.SubjectKey;

namespace EmpathyKit.Transcripts;

/// <summary>
/// What the parts of a <see cref="TranscriptVault"/> share: the store, the key ring, the options, the clock, the
/// logger, the cache of subject data keys and the history windows, with the few steps every part takes (a subject's
/// data key, a subject's pseudonyms, a head's checkpoint, an audit entry). One per vault.
/// </summary>
internal sealed class TranscriptVaultContext
{
    /// <summary>How many records, conversations, audit entries or subject keys are read from the store at a time.</summary>
    public const int Page = 500;

    /// <summary>The link before the first record of a chain and before the first audit entry.</summary>
    public static readonly byte[] ZeroHash = new byte[TranscriptRecordFormat.HashLength];

    public TranscriptVaultContext(ITranscriptStore store, ITranscriptKeyProvider root, TranscriptOptions options, TimeProvider time, ILogger logger)
    {
        Store = store;
        Options = options;
        Time = time;
        Logger = logger;
        Ring = new TranscriptKeyRing(store, root, options, time);
        Windows = new HistoryWindowCache(options.HistoryCacheConversations);
    }

    public ITranscriptStore Store { get; }

    public TranscriptOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Gets the key ring (root provider, master keys, index key); the vault disposes it.</summary>
    public TranscriptKeyRing Ring { get; }

    /// <summary>Gets this host's cached subject data keys, by tenant and subject pseudonym.</summary>
    public ConcurrentDictionary<(string Tenant, string Subject), SubjectKey> SubjectKeys { get; } = new();

    /// <summary>Gets the cached history windows.</summary>
    public HistoryWindowCache Windows { get; }

    /// <summary>
    /// Gets a subject's data key: from the cache, else unwrapped from the store, else (when <paramref name="create"/>)
    /// a fresh one wrapped under the active master key; null when there is none and none is to be created.
    /// </summary>
    public async ValueTask<SubjectKey?> GetSubjectKeyAsync(string tenant, string subject, bool create, CancellationToken cancellationToken)
    {
        if (SubjectKeys.TryGetValue((tenant, subject), out SubjectKey? cached))
        {
            return cached;
        }

        StoredSubjectKey? stored = await Store.GetSubjectKeyAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            if (!create)
            {
                return null;
            }

            (Guid masterId, byte[] master) = await Ring.GetActiveMasterAsync(cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = Time.GetUtcNow();
            var keyId = Guid.CreateVersion7(now);
            byte[] fresh = RandomNumberGenerator.GetBytes(32);
            byte[] wrapped = TranscriptKeyWrap.Wrap(master, fresh, TranscriptKeyWrap.SubjectKeyContext(tenant, subject, keyId, masterId));
            stored = await Store.GetOrAddSubjectKeyAsync(new StoredSubjectKey(tenant, subject, keyId, masterId, now, wrapped), cancellationToken).ConfigureAwait(false);
            if (stored.KeyId == keyId)
            {
                return Cache(tenant, subject, new SubjectKey(keyId, fresh));
            }

            CryptographicOperations.ZeroMemory(fresh);
        }

        byte[] masterKey = await Ring.GetMasterAsync(stored.MasterKeyId, cancellationToken).ConfigureAwait(false);
        byte[] plain = TranscriptKeyWrap.Unwrap(masterKey, stored.WrappedKey.Span, TranscriptKeyWrap.SubjectKeyContext(tenant, subject, stored.KeyId, stored.MasterKeyId));
        return Cache(tenant, subject, new SubjectKey(stored.KeyId, plain));
    }

    private SubjectKey Cache(string tenant, string subject, SubjectKey key)
    {
        if (Options.SubjectKeyCacheSize == 0)
        {
            return key;
        }

        if (SubjectKeys.Count >= Options.SubjectKeyCacheSize)
        {
            SubjectKeys.Clear();
        }

        return SubjectKeys.GetOrAdd((tenant, subject), key);
    }

    /// <summary>Checks a tenant and subject id and gets their pseudonyms.</summary>
    public async ValueTask<(string Tenant, string Subject)> SubjectPseudonymsAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        TranscriptAddress.ValidateId(tenant, nameof(tenant));
        TranscriptAddress.ValidateId(subject, nameof(subject));
        TranscriptPseudonyms ids = await Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return (ids.Tenant(tenant), ids.Subject(tenant, subject));
    }

    /// <summary>Appends one entry to the audit log, stamped now.</summary>
    public async ValueTask AuditAsync(string kind, string? actor, string? tenant, string? subject, string? conversation, string detail, CancellationToken cancellationToken)
    {
        TranscriptAuditSealer sealer = await Ring.GetSealerAsync(cancellationToken).ConfigureAwait(false);
        await Store.AppendAuditAsync(new AuditDraft(Time.GetUtcNow(), kind, actor, tenant, subject, conversation, detail), sealer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a head with its keyed checkpoint computed.</summary>
    public static ConversationHead WithCheckpoint(TranscriptPseudonyms ids, ConversationHead head) =>
        head with { Checkpoint = TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head) };

    /// <summary>Throws <see cref="TranscriptIntegrityException"/> when a head's keyed checkpoint does not verify.</summary>
    public static void CheckCheckpoint(TranscriptPseudonyms ids, ConversationHead head)
    {
        if (!CryptographicOperations.FixedTimeEquals(TranscriptRecordFormat.Checkpoint(ids.IntegrityKey, head), head.Checkpoint.Span))
        {
            throw new TranscriptIntegrityException("The conversation's checkpoint does not verify: its head was altered.");
        }
    }

    /// <summary>Formats an instant as ISO 8601 in UTC (exports and escrows).</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
