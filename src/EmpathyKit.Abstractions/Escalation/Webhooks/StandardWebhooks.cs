using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmpathyKit.Webhooks;

/// <summary>
/// Signing and verifying webhooks as Standard Webhooks specifies: headers <c>webhook-id</c> (stable across retries: the
/// receiver's idempotency key), <c>webhook-timestamp</c> (whole seconds since the Unix epoch) and
/// <c>webhook-signature</c>, space-separated <c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c>, one for each
/// active secret. Receivers compare in constant time and reject timestamps more than <see cref="DefaultTolerance"/> away.
/// </summary>
public static class StandardWebhooks
{
    /// <summary>The message id header.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The most signatures a header may carry that a receiver reads (more are ignored).</summary>
    public const int MaxSignatures = 16;

    private const string Version = "v1";

    /// <summary>Gets the replay window a receiver allows by default: five minutes either way.</summary>
    public static TimeSpan DefaultTolerance { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Signs a message with each secret.</summary>
    /// <param name="id">The message id (the same on every retry).</param>
    /// <param name="timestamp">When this attempt is sent (whole seconds are signed).</param>
    /// <param name="body">The exact bytes of the body.</param>
    /// <param name="secrets">The active secrets (one, or two during a rotation).</param>
    /// <returns>The <c>webhook-signature</c> header's value.</returns>
    /// <exception cref="ArgumentException">The id is empty or holds a control character, or no secret is given.</exception>
    public static string Sign(string id, DateTimeOffset timestamp, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one webhook secret is needed to sign.", nameof(secrets));
        }

        if (id.Any(char.IsControl))
        {
            throw new ArgumentException("A webhook id must not contain control characters.", nameof(id));
        }

        byte[] content = Content(id, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), body);
        var header = new StringBuilder();
        foreach (WebhookSecret secret in secrets)
        {
            ArgumentNullException.ThrowIfNull(secret, nameof(secrets));
            if (header.Length > 0)
            {
                header.Append(' ');
            }

            header.Append(Version).Append(',').Append(Convert.ToBase64String(secret.Mac(content)));
        }

        return header.ToString();
    }

    /// <summary>Verifies a received webhook against the receiver's secrets.</summary>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="signature">The <c>webhook-signature</c> header.</param>
    /// <param name="body">The exact bytes of the body as received.</param>
    /// <param name="secrets">The secrets the receiver accepts.</param>
    /// <param name="now">The receiver's clock (<see cref="TimeProvider.GetUtcNow"/>).</param>
    /// <param name="tolerance">The replay window either way; <see cref="DefaultTolerance"/> when <see langword="null"/>.</param>
    /// <returns>What was found; only <see cref="WebhookVerification.Valid"/> means the message may be acted on.</returns>
    public static WebhookVerification Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return WebhookVerification.MissingHeaders;
        }

        if (timestamp.Length > 19 || !timestamp.All(char.IsAsciiDigit) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return WebhookVerification.BadTimestamp;
        }

        TimeSpan window = tolerance ?? DefaultTolerance;
        if (Math.Abs(now.ToUnixTimeSeconds() - (double)seconds) > window.TotalSeconds)
        {
            return WebhookVerification.OutsideTolerance;
        }

        byte[] content = Content(id, timestamp, body);
        Span<byte> given = stackalloc byte[32];
        int read = 0;
        foreach (string entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (++read > MaxSignatures)
            {
                break;
            }

            int comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual(Version) || !Convert.TryFromBase64String(entry[(comma + 1)..], given, out int length) || length != 32)
            {
                continue;
            }

            foreach (WebhookSecret secret in secrets)
            {
                if (secret is not null && CryptographicOperations.FixedTimeEquals(secret.Mac(content), given))
                {
                    return WebhookVerification.Valid;
                }
            }
        }

        return WebhookVerification.NoValidSignature;
    }

    private static byte[] Content(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        int idBytes = Encoding.UTF8.GetByteCount(id);
        var content = new byte[idBytes + 1 + timestamp.Length + 1 + body.Length];
        Encoding.UTF8.GetBytes(id, content);
        content[idBytes] = (byte)'.';
        Encoding.ASCII.GetBytes(timestamp, content.AsSpan(idBytes + 1));
        content[idBytes + 1 + timestamp.Length] = (byte)'.';
        body.CopyTo(content.AsSpan(idBytes + timestamp.Length + 2));
        return content;
    }
}
