using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace EmpathyKit;

/// <summary>
/// Encrypts small payloads (subject exports, key escrow) to an RSA certificate with CMS <c>EnvelopedCms</c>:
/// AES-256-CBC content, RSA-OAEP-SHA256 key transport, and a SHA-256 check value inside the content, because a
/// tampered CBC envelope can otherwise decrypt silently to wrong bytes. Never used for transcripts themselves.
/// </summary>
/// <remarks>
/// Content layout: <c>EKC1</c> | SHA-256 of the payload (32) | payload. The check value detects corruption and
/// tampering of an envelope; it does not prove who made it (anyone with the public certificate can make one).
/// </remarks>
public static class TranscriptCms
{
    private static readonly byte[] Magic = "EKC1"u8.ToArray();
    private static readonly Oid Aes256Cbc = new("2.16.840.1.101.3.4.1.42");

    /// <summary>Encrypts <paramref name="payload"/> to <paramref name="recipient"/>.</summary>
    /// <param name="payload">The bytes to protect.</param>
    /// <param name="recipient">An RSA certificate (its public key is enough).</param>
    /// <returns>The DER-encoded CMS envelope.</returns>
    /// <exception cref="ArgumentException">The certificate has no RSA key (EC recipients are not supported by EnvelopedCms).</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> payload, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        using (RSA? rsa = recipient.GetRSAPublicKey())
        {
            if (rsa is null)
            {
                throw new ArgumentException("CMS export and escrow need an RSA certificate.", nameof(recipient));
            }
        }

        byte[] content = new byte[Magic.Length + 32 + payload.Length];
        Magic.CopyTo(content, 0);
        SHA256.HashData(payload, content.AsSpan(Magic.Length, 32));
        payload.CopyTo(content.AsSpan(Magic.Length + 32));
        try
        {
            var envelope = new EnvelopedCms(new ContentInfo(content), new AlgorithmIdentifier(Aes256Cbc, 256));
            envelope.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recipient, RSAEncryptionPadding.OaepSHA256));
            return envelope.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>Decrypts an envelope made by <see cref="Encrypt"/> and checks its check value.</summary>
    /// <param name="envelope">The CMS envelope.</param>
    /// <param name="recipient">The recipient certificate with its private key.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="CryptographicException">The envelope is malformed, not for this certificate, not RSA-OAEP-SHA256, or fails its check value.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> envelope, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var cms = new EnvelopedCms();
        cms.Decode(envelope);
        if (cms.ContentEncryptionAlgorithm.Oid.Value != Aes256Cbc.Value)
        {
            throw new CryptographicException("The envelope's content is not AES-256-CBC.");
        }

        foreach (RecipientInfo info in cms.RecipientInfos)
        {
            if (info.KeyEncryptionAlgorithm.Oid.Value != "1.2.840.113549.1.1.7")
            {
                throw new CryptographicException("The envelope's key transport is not RSA-OAEP.");
            }
        }

        cms.Decrypt(new X509Certificate2Collection(recipient));
        byte[] content = cms.ContentInfo.Content;
        if (content.Length < Magic.Length + 32 || !content.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CryptographicException("The envelope does not hold an EmpathyKit payload.");
        }

        byte[] payload = content[(Magic.Length + 32)..];
        Span<byte> check = stackalloc byte[32];
        SHA256.HashData(payload, check);
        if (!CryptographicOperations.FixedTimeEquals(check, content.AsSpan(Magic.Length, 32)))
        {
            throw new CryptographicException("The envelope fails its check value: it was tampered with or corrupted.");
        }

        return payload;
    }
}
