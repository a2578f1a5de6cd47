using System.Security.Cryptography;

namespace EmpathyKit.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: 24 to 64 random bytes, written <c>whsec_</c> + base64. The sender signs with every
/// active secret during a rotation; the receiver accepts a signature made with any secret it holds.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the key; <see cref="Export"/> does, for configuration.</remarks>
public sealed class WebhookSecret
{
    /// <summary>The prefix of a secret's text form.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The fewest key bytes a secret holds (192 bits, as Standard Webhooks advises).</summary>
    public const int MinBytes = 24;

    /// <summary>The most key bytes a secret holds.</summary>
    public const int MaxBytes = 64;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>Creates a new random secret of 32 bytes.</summary>
    /// <returns>The secret.</returns>
    public static WebhookSecret Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads a secret written <c>whsec_</c> + base64 (the prefix may be left out).</summary>
    /// <param name="text">The secret's text form.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="FormatException">The text is not base64, or its key is shorter than <see cref="MinBytes"/> or longer than <see cref="MaxBytes"/>.</exception>
    public static WebhookSecret Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string encoded = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException("A webhook secret is 'whsec_' followed by base64.");
        }

        if (key.Length is < MinBytes or > MaxBytes)
        {
            throw new FormatException($"A webhook secret holds {MinBytes} to {MaxBytes} bytes; this one holds {key.Length}.");
        }

        return new WebhookSecret(key);
    }

    /// <summary>Gets the secret's text form (<c>whsec_</c> + base64), to store in configuration.</summary>
    /// <returns>The text form.</returns>
    public string Export() => Prefix + Convert.ToBase64String(_key);

    /// <summary>Names the type only: the key is never shown.</summary>
    /// <returns>A fixed text.</returns>
    public override string ToString() => "whsec_…";

    /// <summary>The HMAC-SHA256 of the content under this secret.</summary>
    internal byte[] Mac(ReadOnlySpan<byte> content) => HMACSHA256.HashData(_key, content);
}
