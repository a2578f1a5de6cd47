using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The sealed record format (v1, foundation): a fresh AES-256-GCM data key per record, wrapped by the key provider,
/// with the record's place (conversation key, record id, creation time) bound in as authenticated data.
/// </summary>
/// <remarks>
/// Layout: magic <c>EKT1</c> | version (1) | algorithm (1 = AES-256-GCM) | key-id length (1) | key id (UTF-8) |
/// wrapped-key length (2, big-endian) | wrapped key | nonce (12) | tag (16) | ciphertext.
/// The header bytes are part of the authenticated data, so any change to them fails decryption.
/// </remarks>
internal static class TranscriptEnvelope
{
    public const byte Version = 1;
    public const byte AlgorithmAesGcm256 = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "EKT1"u8.ToArray();

    public static async ValueTask<byte[]> SealAsync(ITranscriptKeyProvider keys, string conversationKey, Guid recordId, DateTimeOffset createdAt, byte[] plaintext, CancellationToken cancellationToken)
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            WrappedKey wrapped = await keys.WrapKeyAsync(dataKey, cancellationToken).ConfigureAwait(false);
            byte[] keyId = Encoding.UTF8.GetBytes(wrapped.KeyId);
            if (keyId.Length is 0 or > 255 || wrapped.Ciphertext.Length > ushort.MaxValue)
            {
                throw new CryptographicException("The key provider returned a key id or wrapped key outside the record format's limits.");
            }

            int headerLength = Magic.Length + 3 + keyId.Length + 2 + wrapped.Ciphertext.Length;
            byte[] record = new byte[headerLength + NonceSize + TagSize + plaintext.Length];
            var span = record.AsSpan();
            Magic.CopyTo(span);
            int p = Magic.Length;
            span[p++] = Version;
            span[p++] = AlgorithmAesGcm256;
            span[p++] = (byte)keyId.Length;
            keyId.CopyTo(span[p..]);
            p += keyId.Length;
            BinaryPrimitives.WriteUInt16BigEndian(span[p..], (ushort)wrapped.Ciphertext.Length);
            p += 2;
            wrapped.Ciphertext.Span.CopyTo(span[p..]);
            p += wrapped.Ciphertext.Length;

            Span<byte> nonce = span.Slice(p, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            byte[] aad = AssociatedData(span[..headerLength], conversationKey, recordId, createdAt);
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Encrypt(nonce, plaintext, span[(p + NonceSize + TagSize)..], span.Slice(p + NonceSize, TagSize), aad);
            return record;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public static async ValueTask<byte[]> OpenAsync(ITranscriptKeyProvider keys, string conversationKey, SealedRecord sealedRecord, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> record = sealedRecord.Payload;
        if (record.Length < Magic.Length + 3 || !record.Span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new CryptographicException("Not an EmpathyKit transcript record.");
        }

        int p = Magic.Length;
        if (record.Span[p++] != Version || record.Span[p++] != AlgorithmAesGcm256)
        {
            throw new CryptographicException("Unsupported transcript record version or algorithm.");
        }

        int keyIdLength = record.Span[p++];
        if (record.Length < p + keyIdLength + 2)
        {
            throw new CryptographicException("Truncated transcript record.");
        }

        string keyId = Encoding.UTF8.GetString(record.Span.Slice(p, keyIdLength));
        p += keyIdLength;
        int wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(record.Span[p..]);
        p += 2;
        if (record.Length < p + wrappedLength + NonceSize + TagSize)
        {
            throw new CryptographicException("Truncated transcript record.");
        }

        ReadOnlyMemory<byte> wrapped = record.Slice(p, wrappedLength);
        int headerLength = p + wrappedLength;
        byte[] dataKey = await keys.UnwrapKeyAsync(new WrappedKey(keyId, wrapped), cancellationToken).ConfigureAwait(false);
        try
        {
            ReadOnlySpan<byte> span = record.Span;
            byte[] aad = AssociatedData(span[..headerLength], conversationKey, sealedRecord.RecordId, sealedRecord.CreatedAt);
            byte[] plaintext = new byte[record.Length - headerLength - NonceSize - TagSize];
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Decrypt(
                span.Slice(headerLength, NonceSize),
                span[(headerLength + NonceSize + TagSize)..],
                span.Slice(headerLength + NonceSize, TagSize),
                plaintext,
                aad);
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string conversationKey, Guid recordId, DateTimeOffset createdAt)
    {
        byte[] conversation = Encoding.UTF8.GetBytes(conversationKey);
        byte[] aad = new byte[header.Length + 4 + conversation.Length + 16 + 8];
        header.CopyTo(aad);
        int p = header.Length;
        BinaryPrimitives.WriteInt32BigEndian(aad.AsSpan(p), conversation.Length);
        p += 4;
        conversation.CopyTo(aad, p);
        p += conversation.Length;
        recordId.TryWriteBytes(aad.AsSpan(p, 16), bigEndian: true, out _);
        p += 16;
        BinaryPrimitives.WriteInt64BigEndian(aad.AsSpan(p), createdAt.UtcTicks);
        return aad;
    }
}
