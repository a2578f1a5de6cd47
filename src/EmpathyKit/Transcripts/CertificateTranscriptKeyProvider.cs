using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmpathyKit;

/// <summary>
/// A root key provider backed by an RSA X.509 certificate with its private key (from a machine store, a PFX, or an
/// HSM-backed key). Each wrap draws a fresh 256-bit key-encryption key, encrypts it to the certificate with
/// RSA-OAEP-SHA256, and seals the wrapped key with it under AES-256-GCM with the caller's context as authenticated data.
/// </summary>
/// <remarks>
/// Layout: RSA ciphertext length (2, big-endian) | RSA-OAEP-SHA256 ciphertext | nonce (12) | tag (16) | ciphertext.
/// The key id is <c>x509:</c> and the certificate's SHA-256 thumbprint, so records name the certificate that can
/// open them. Renewing the certificate: construct the provider with the new certificate and the old ones as
/// the <c>previous</c> argument, then rotate keys to re-wrap the store's keys under the new one.
/// </remarks>
public sealed class CertificateTranscriptKeyProvider : ITranscriptKeyProvider
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly X509Certificate2 _current;
    private readonly Dictionary<string, X509Certificate2> _byId = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="CertificateTranscriptKeyProvider"/> class.</summary>
    /// <param name="certificate">The certificate that wraps new keys; it must hold an RSA private key of at least 2048 bits.</param>
    /// <param name="previous">Older certificates that may still unwrap keys wrapped before a renewal.</param>
    /// <exception cref="ArgumentException">A certificate has no RSA private key, or a key under 2048 bits.</exception>
    public CertificateTranscriptKeyProvider(X509Certificate2 certificate, params X509Certificate2[] previous)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(previous);
        _current = certificate;
        foreach (X509Certificate2 cert in previous.Prepend(certificate))
        {
            using RSA rsa = cert.GetRSAPrivateKey() ?? throw new ArgumentException("A transcript root certificate needs an RSA private key.", nameof(certificate));
            if (rsa.KeySize < 2048)
            {
                throw new ArgumentException("A transcript root certificate's RSA key must be at least 2048 bits.", nameof(certificate));
            }

            _byId[IdOf(cert)] = cert;
        }

        KeyId = IdOf(certificate);
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <inheritdoc />
    public ValueTask<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default)
    {
        byte[] kek = RandomNumberGenerator.GetBytes(32);
        try
        {
            using RSA rsa = _current.GetRSAPublicKey()!;
            byte[] encryptedKek = rsa.Encrypt(kek, RSAEncryptionPadding.OaepSHA256);
            byte[] output = new byte[2 + encryptedKek.Length + NonceSize + TagSize + key.Length];
            BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)encryptedKek.Length);
            encryptedKek.CopyTo(output, 2);
            int p = 2 + encryptedKek.Length;
            RandomNumberGenerator.Fill(output.AsSpan(p, NonceSize));
            using var aes = new AesGcm(kek, TagSize);
            aes.Encrypt(output.AsSpan(p, NonceSize), key.Span, output.AsSpan(p + NonceSize + TagSize), output.AsSpan(p + NonceSize, TagSize), context.Span);
            return ValueTask.FromResult(new WrappedKey(KeyId, output));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]> UnwrapKeyAsync(WrappedKey wrappedKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrappedKey);
        if (!_byId.TryGetValue(wrappedKey.KeyId, out X509Certificate2? cert))
        {
            throw new CryptographicException("The key was wrapped under a certificate this provider does not hold.");
        }

        ReadOnlySpan<byte> input = wrappedKey.Ciphertext.Span;
        if (input.Length < 2)
        {
            throw new CryptographicException("The wrapped key is truncated.");
        }

        int rsaLength = BinaryPrimitives.ReadUInt16BigEndian(input);
        if (input.Length < 2 + rsaLength + NonceSize + TagSize)
        {
            throw new CryptographicException("The wrapped key is truncated.");
        }

        using RSA rsa = cert.GetRSAPrivateKey()!;
        byte[] kek = rsa.Decrypt(input.Slice(2, rsaLength).ToArray(), RSAEncryptionPadding.OaepSHA256);
        try
        {
            int p = 2 + rsaLength;
            byte[] key = new byte[input.Length - p - NonceSize - TagSize];
            using var aes = new AesGcm(kek, TagSize);
            aes.Decrypt(input.Slice(p, NonceSize), input[(p + NonceSize + TagSize)..], input.Slice(p + NonceSize, TagSize), key, context.Span);
            return ValueTask.FromResult(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static string IdOf(X509Certificate2 certificate) =>
        "x509:" + Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
