using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The keys derived from the store's index key: keyed HMAC-SHA256 pseudonyms for tenants, subjects and conversations
/// (so storage never holds raw ids) and the integrity key for checkpoints and the audit log.
/// </summary>
internal sealed class TranscriptPseudonyms : IDisposable
{
    private readonly byte[] _pseudonymKey;

    public TranscriptPseudonyms(ReadOnlySpan<byte> indexKey)
    {
        byte[] ikm = indexKey.ToArray();
        _pseudonymKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, info: "EmpathyKit pseudonym v1"u8.ToArray());
        IntegrityKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, info: "EmpathyKit integrity v1"u8.ToArray());
        CryptographicOperations.ZeroMemory(ikm);
    }

    public byte[] IntegrityKey { get; }

    public string Tenant(string tenant) => Pseudonym("t_", "tenant\0" + tenant);

    public string Subject(string tenant, string subject) => Pseudonym("s_", "subject\0" + tenant + "\0" + subject);

    public string Conversation(string tenant, string conversation) => Pseudonym("c_", "conversation\0" + tenant + "\0" + conversation);

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_pseudonymKey);
        CryptographicOperations.ZeroMemory(IntegrityKey);
    }

    private string Pseudonym(string prefix, string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_pseudonymKey, Encoding.UTF8.GetBytes(value), mac);
        return prefix + Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

/// <summary>Chains audit entries with the store's integrity key.</summary>
internal sealed class TranscriptAuditSealer : IAuditSealer
{
    private readonly byte[] _integrityKey;

    public TranscriptAuditSealer(byte[] integrityKey)
    {
        _integrityKey = integrityKey;
    }

    public AuditEntry Seal(AuditEntry? previous, AuditDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        long sequence = previous is null ? 0 : previous.Sequence + 1;
        byte[] previousHash = previous?.Hash.ToArray() ?? new byte[TranscriptRecordFormat.HashLength];
        byte[] hash = TranscriptRecordFormat.AuditHash(_integrityKey, sequence, draft, previousHash);
        return new AuditEntry(sequence, draft.At, draft.Kind, draft.Actor, draft.Tenant, draft.Subject, draft.Conversation, draft.Detail, previousHash, hash);
    }

    public bool Verify(AuditEntry entry, ReadOnlySpan<byte> expectedPreviousHash)
    {
        var draft = new AuditDraft(entry.At, entry.Kind, entry.Actor, entry.Tenant, entry.Subject, entry.Conversation, entry.Detail);
        byte[] hash = TranscriptRecordFormat.AuditHash(_integrityKey, entry.Sequence, draft, expectedPreviousHash);
        return CryptographicOperations.FixedTimeEquals(hash, entry.Hash.Span) && entry.PreviousHash.Span.SequenceEqual(expectedPreviousHash);
    }
}
