using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Transcripts;

/// <summary>
/// Key escrow and recovery (format <c>empathykit-key-escrow/1</c>): every master and index key not destroyed, with a
/// check value each, in a CMS envelope for the escrow certificate; and recovery of the key ring from such an envelope.
/// Key bytes are zeroed as soon as they are written or handed over.
/// </summary>
internal sealed class TranscriptEscrow
{
    private readonly TranscriptVaultContext _context;

    public TranscriptEscrow(TranscriptVaultContext context)
    {
        _context = context;
    }

    /// <inheritdoc cref="ITranscriptManager.EscrowKeysAsync"/>
    public async ValueTask<byte[]> EscrowKeysAsync(X509Certificate2 recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        _ = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StoredKey> keys = await _context.Ring.GetKeysAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        int count = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", "empathykit-key-escrow/1");
            json.WriteString("createdAt", TranscriptVaultContext.Iso(_context.Time.GetUtcNow()));
            json.WriteStartArray("keys");
            foreach (StoredKey key in keys.Where(k => k.DestroyedAt is null))
            {
                byte[] bytes = await _context.Ring.UnwrapAnyAsync(key, cancellationToken).ConfigureAwait(false);
                try
                {
                    json.WriteStartObject();
                    json.WriteString("id", key.Id.ToString("D"));
                    json.WriteString("kind", key.Kind == TranscriptKeyKind.Master ? "master" : "index");
                    json.WriteString("createdAt", TranscriptVaultContext.Iso(key.CreatedAt));
                    json.WriteString("activatesAt", TranscriptVaultContext.Iso(key.ActivatesAt));
                    json.WriteString("expiresAt", TranscriptVaultContext.Iso(key.ExpiresAt));
                    json.WriteBoolean("revoked", key.RevokedAt is not null);
                    json.WriteBase64String("key", bytes);
                    json.WriteString("check", KeyCheckValue(bytes));
                    json.WriteEndObject();
                    count++;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] plain = buffer.ToArray();
        try
        {
            byte[] envelope = TranscriptCms.Encrypt(plain, recipient);
            await _context.AuditAsync(AuditKinds.KeyEscrowed, null, null, null, null, AuditDetail.Of(("keys", count), ("recipient", recipient.Thumbprint)), cancellationToken).ConfigureAwait(false);
            return envelope;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc cref="ITranscriptManager.RecoverKeysAsync"/>
    public async ValueTask<KeyRecoveryResult> RecoverKeysAsync(ReadOnlyMemory<byte> envelope, X509Certificate2 escrowCertificate, string? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escrowCertificate);
        byte[] plain = TranscriptCms.Decrypt(envelope.Span, escrowCertificate);
        var keys = new Dictionary<Guid, byte[]>();
        try
        {
            ReadEscrow(plain, keys);
            KeyRecoveryResult result = await _context.Ring.RecoverAsync(keys, actor, cancellationToken).ConfigureAwait(false);
            _context.SubjectKeys.Clear();
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            foreach (byte[] key in keys.Values)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>Reads an escrow payload, checking its format and every key's length and check value.</summary>
    private static void ReadEscrow(byte[] plain, Dictionary<Guid, byte[]> keys)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(plain);
        }
        catch (JsonException ex)
        {
            throw new CryptographicException("The escrow envelope's content is not an EmpathyKit key escrow.", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != "empathykit-key-escrow/1" || !root.TryGetProperty("keys", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new CryptographicException("The escrow envelope's content is not an EmpathyKit key escrow (format empathykit-key-escrow/1).");
            }

            foreach (JsonElement item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || !Guid.TryParseExact(id.GetString(), "D", out Guid keyId)
                    || !item.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.String || !key.TryGetBytesFromBase64(out byte[]? bytes)
                    || !item.TryGetProperty("check", out JsonElement check) || check.ValueKind != JsonValueKind.String)
                {
                    throw new CryptographicException("An escrowed key is malformed.");
                }

                if (bytes.Length != 32 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyCheckValue(bytes)), Encoding.ASCII.GetBytes(check.GetString()!)))
                {
                    CryptographicOperations.ZeroMemory(bytes);
                    throw new CryptographicException("An escrowed key fails its check value: the envelope is damaged.");
                }

                if (!keys.TryAdd(keyId, bytes))
                {
                    CryptographicOperations.ZeroMemory(bytes);
                    throw new CryptographicException("The escrow holds the same key twice.");
                }
            }
        }
    }

    /// <summary>The check value of an escrowed key: the first 8 bytes of HMAC-SHA256(key, "EmpathyKit key check"), hex.</summary>
    public static string KeyCheckValue(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, "EmpathyKit key check"u8).AsSpan(0, 8));
}
