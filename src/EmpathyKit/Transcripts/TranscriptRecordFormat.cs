using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The sealed record format, version 1 (frozen by golden files in the tests).
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     4  magic "EKTR"
///      4     1  version (1)
///      5     1  algorithm (1 = HKDF-SHA256 record key, AES-256-GCM, 256-bit key commitment)
///      6     2  flags (0)
///      8    16  subject data-key id (big-endian GUID)
///     24    32  salt (random per record)
///     56    32  key commitment
///     88    16  GCM tag
///    104     n  ciphertext
/// </code>
/// HKDF-SHA256(ikm = subject data key, salt, info = "EmpathyKit record v1") gives 76 bytes: the AES key (32), the
/// commitment (32) and the nonce (12). Each derived key encrypts exactly one record. The commitment is compared in
/// constant time before decrypting, because AES-GCM alone is not key-committing. The authenticated data is the first
/// 24 bytes followed by the record's place: tenant, subject and conversation pseudonyms (length-prefixed), sequence,
/// previous record's chain hash, created and expiry times (UTC ticks), so a record cannot be moved, reordered or have
/// its expiry changed.
/// </remarks>
internal static class TranscriptRecordFormat
{
    public const byte Version = 1;
    public const byte Algorithm = 1;
    public const int HeaderLength = 24;
    public const int SaltLength = 32;
    public const int CommitmentLength = 32;
    public const int TagLength = 16;
    public const int Overhead = HeaderLength + SaltLength + CommitmentLength + TagLength;
    public const int HashLength = 32;
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private static readonly byte[] Magic = "EKTR"u8.ToArray();
    private static readonly byte[] RecordInfo = "EmpathyKit record v1"u8.ToArray();

    /// <summary>The place a record is bound to.</summary>
    public readonly record struct Place(string Tenant, string Subject, string Conversation, long Sequence, ReadOnlyMemory<byte> PreviousHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

    public static byte[] Seal(ReadOnlySpan<byte> subjectKey, Guid subjectKeyId, in Place place, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> salt = stackalloc byte[SaltLength];
        RandomNumberGenerator.Fill(salt);
        return Seal(subjectKey, subjectKeyId, place, plaintext, salt);
    }

    /// <summary>Seals with a given salt (golden files only; production salts are random).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> subjectKey, Guid subjectKeyId, in Place place, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> salt)
    {
        byte[] record = new byte[Overhead + plaintext.Length];
        Span<byte> span = record;
        Magic.CopyTo(span);
        span[4] = Version;
        span[5] = Algorithm;
        subjectKeyId.TryWriteBytes(span.Slice(8, 16), bigEndian: true, out _);
        salt.CopyTo(span.Slice(HeaderLength, SaltLength));
        Span<byte> okm = stackalloc byte[KeyLength + CommitmentLength + NonceLength];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, subjectKey, okm, salt, RecordInfo);
            okm.Slice(KeyLength, CommitmentLength).CopyTo(span.Slice(HeaderLength + SaltLength, CommitmentLength));
            byte[] aad = AssociatedData(span[..HeaderLength], place);
            using var aes = new AesGcm(okm[..KeyLength], TagLength);
            aes.Encrypt(okm.Slice(KeyLength + CommitmentLength, NonceLength), plaintext, span[Overhead..], span.Slice(Overhead - TagLength, TagLength), aad);
            return record;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Reads the subject data-key id a record names, or fails for anything that is not a v1 record.</summary>
    public static Guid ReadSubjectKeyId(ReadOnlySpan<byte> record)
    {
        CheckHeader(record);
        return new Guid(record.Slice(8, 16), bigEndian: true);
    }

    public static byte[] Open(ReadOnlySpan<byte> subjectKey, Guid subjectKeyId, in Place place, ReadOnlySpan<byte> record)
    {
        CheckHeader(record);
        if (new Guid(record.Slice(8, 16), bigEndian: true) != subjectKeyId)
        {
            throw new CryptographicException("The record was sealed under a different subject key.");
        }

        Span<byte> okm = stackalloc byte[KeyLength + CommitmentLength + NonceLength];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, subjectKey, okm, record.Slice(HeaderLength, SaltLength), RecordInfo);
            if (!CryptographicOperations.FixedTimeEquals(okm.Slice(KeyLength, CommitmentLength), record.Slice(HeaderLength + SaltLength, CommitmentLength)))
            {
                throw new CryptographicException("The record's key commitment does not match.");
            }

            byte[] aad = AssociatedData(record[..HeaderLength], place);
            byte[] plaintext = new byte[record.Length - Overhead];
            using var aes = new AesGcm(okm[..KeyLength], TagLength);
            aes.Decrypt(okm.Slice(KeyLength + CommitmentLength, NonceLength), record[Overhead..], record.Slice(Overhead - TagLength, TagLength), plaintext, aad);
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>
    /// The chain hash of a stored record: SHA-256 over a domain tag, the conversation pseudonym, the sequence, the times,
    /// the previous hash and the sealed bytes, so the chain covers the ciphertext and its place.
    /// </summary>
    public static byte[] ChainHash(StoredRecord record)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("EKTR chain v1"u8);
        AppendString(hash, record.Conversation);
        AppendInt64(hash, record.Sequence);
        AppendInt64(hash, record.CreatedAt.UtcTicks);
        AppendInt64(hash, record.ExpiresAt.UtcTicks);
        hash.AppendData(record.PreviousHash.Span);
        AppendInt64(hash, record.Payload.Length);
        hash.AppendData(record.Payload.Span);
        return hash.GetHashAndReset();
    }

    /// <summary>The keyed checkpoint over a conversation head.</summary>
    public static byte[] Checkpoint(ReadOnlySpan<byte> integrityKey, ConversationHead head)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, integrityKey);
        mac.AppendData("EKTR head v1"u8);
        AppendString(mac, head.Tenant);
        AppendString(mac, head.Subject);
        AppendString(mac, head.Conversation);
        AppendInt64(mac, head.BaseSequence);
        mac.AppendData(head.BaseHash.Span);
        AppendInt64(mac, head.NextSequence);
        mac.AppendData(head.LastHash.Span);
        AppendInt64(mac, head.SealedLabel.Length);
        mac.AppendData(head.SealedLabel.Span);
        AppendInt64(mac, head.CreatedAt.UtcTicks);
        return mac.GetHashAndReset();
    }

    /// <summary>The keyed hash of an audit entry, chained to the previous one.</summary>
    public static byte[] AuditHash(ReadOnlySpan<byte> integrityKey, long sequence, AuditDraft draft, ReadOnlySpan<byte> previousHash)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, integrityKey);
        mac.AppendData("EKTR audit v1"u8);
        AppendInt64(mac, sequence);
        AppendInt64(mac, draft.At.UtcTicks);
        AppendString(mac, draft.Kind);
        AppendString(mac, draft.Actor);
        AppendString(mac, draft.Tenant);
        AppendString(mac, draft.Subject);
        AppendString(mac, draft.Conversation);
        AppendString(mac, draft.Detail);
        mac.AppendData(previousHash);
        return mac.GetHashAndReset();
    }

    private static void CheckHeader(ReadOnlySpan<byte> record)
    {
        if (record.Length < Overhead || !record[..4].SequenceEqual(Magic))
        {
            throw new CryptographicException("Not an EmpathyKit transcript record, or truncated.");
        }

        if (record[4] != Version || record[5] != Algorithm || record[6] != 0 || record[7] != 0)
        {
            throw new CryptographicException("Unsupported transcript record version, algorithm or flags.");
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, in Place place)
    {
        if (place.PreviousHash.Length != HashLength)
        {
            throw new CryptographicException("A previous-record hash must be 32 bytes.");
        }

        int length = header.Length + Encoding.UTF8.GetByteCount(place.Tenant) + Encoding.UTF8.GetByteCount(place.Subject)
            + Encoding.UTF8.GetByteCount(place.Conversation) + (3 * 4) + 8 + HashLength + 8 + 8;
        byte[] aad = new byte[length];
        Span<byte> span = aad;
        header.CopyTo(span);
        int p = header.Length;
        p += WriteString(span[p..], place.Tenant);
        p += WriteString(span[p..], place.Subject);
        p += WriteString(span[p..], place.Conversation);
        BinaryPrimitives.WriteInt64BigEndian(span[p..], place.Sequence);
        p += 8;
        place.PreviousHash.Span.CopyTo(span[p..]);
        p += HashLength;
        BinaryPrimitives.WriteInt64BigEndian(span[p..], place.CreatedAt.UtcTicks);
        p += 8;
        BinaryPrimitives.WriteInt64BigEndian(span[p..], place.ExpiresAt.UtcTicks);
        return aad;
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        int written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, written);
        return 4 + written;
    }

    internal static void AppendString(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            AppendInt64(hash, -1);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        AppendInt64(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    internal static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        hash.AppendData(buffer);
    }
}
