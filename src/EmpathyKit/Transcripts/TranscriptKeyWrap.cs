using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// Small AES-256-GCM wraps inside the hierarchy: subject data keys under a master key, and conversation labels under a
/// key derived from the subject's data key. Layout: nonce (12) | tag (16) | ciphertext, with a domain-tagged context
/// as authenticated data.
/// </summary>
internal static class TranscriptKeyWrap
{
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public static byte[] Wrap(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        byte[] output = new byte[NonceLength + TagLength + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceLength));
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(output.AsSpan(0, NonceLength), plaintext, output.AsSpan(NonceLength + TagLength), output.AsSpan(NonceLength, TagLength), context);
        return output;
    }

    public static byte[] Unwrap(ReadOnlySpan<byte> key, ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context)
    {
        if (wrapped.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("The wrapped value is truncated.");
        }

        byte[] plaintext = new byte[wrapped.Length - NonceLength - TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(wrapped[..NonceLength], wrapped[(NonceLength + TagLength)..], wrapped.Slice(NonceLength, TagLength), plaintext, context);
        return plaintext;
    }

    public static byte[] SubjectKeyContext(string tenant, string subject, Guid keyId, Guid masterKeyId) =>
        Context("EKTR subject key v1", tenant, subject, keyId.ToString("N"), masterKeyId.ToString("N"));

    public static byte[] MasterKeyContext(Guid keyId, TranscriptKeyKind kind) =>
        Context("EKTR store key v1", keyId.ToString("N"), ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static byte[] SealLabel(ReadOnlySpan<byte> subjectKey, string conversationPseudonym, string conversationId)
    {
        byte[] key = LabelKey(subjectKey, conversationPseudonym);
        try
        {
            return Wrap(key, Encoding.UTF8.GetBytes(conversationId), Context("EKTR label v1", conversationPseudonym));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static string OpenLabel(ReadOnlySpan<byte> subjectKey, string conversationPseudonym, ReadOnlySpan<byte> sealedLabel)
    {
        byte[] key = LabelKey(subjectKey, conversationPseudonym);
        try
        {
            return Encoding.UTF8.GetString(Unwrap(key, sealedLabel, Context("EKTR label v1", conversationPseudonym)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] LabelKey(ReadOnlySpan<byte> subjectKey, string conversationPseudonym)
    {
        // Derived from the span: no copy of the subject key is left on the heap.
        byte[] key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, subjectKey, key, salt: [], info: Encoding.UTF8.GetBytes("EmpathyKit label v1\0" + conversationPseudonym));
        return key;
    }

    private static byte[] Context(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\0', parts));
}
