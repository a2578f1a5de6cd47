using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmpathyKit.Transcripts;

/// <summary>The plaintext of one sealed transcript record (JSON, encrypted before storage).</summary>
internal sealed class TranscriptPayload
{
    [JsonPropertyName("role")]
    public string Role { get; set; } = "user";

    [JsonPropertyName("text")]
    public string Text { get; set; } = string.Empty;

    [JsonPropertyName("risk")]
    public string Risk { get; set; } = "none";

    [JsonPropertyName("categories")]
    public List<string> Categories { get; set; } = [];

    /// <summary>Whether the text is the redactor's output (absent, and so false, in records written before it existed).</summary>
    [JsonPropertyName("redacted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Redacted { get; set; }

    /// <summary>The operator who wrote an operator turn (absent otherwise).</summary>
    [JsonPropertyName("author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; set; }
}

/// <summary>Source-generated JSON for <see cref="TranscriptPayload"/> (trim-safe).</summary>
[JsonSerializable(typeof(TranscriptPayload))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;

/// <summary>Turns transcript entries into record plaintexts and back.</summary>
internal static class TranscriptPayloadCodec
{
    public static byte[] Encode(TranscriptEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new TranscriptPayload
            {
                Role = RoleName(entry.Role),
                Text = entry.Text ?? string.Empty,
                Risk = entry.Risk.ToWireName(),
                Categories = [.. (entry.Categories ?? []).Select(c => c.ToWireName())],
                Redacted = entry.IsRedacted,
                Author = entry.AuthorId,
            },
            TranscriptJsonContext.Default.TranscriptPayload);

    public static TranscriptEntry Decode(ReadOnlySpan<byte> plaintext, DateTimeOffset createdAt)
    {
        TranscriptPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize(plaintext, TranscriptJsonContext.Default.TranscriptPayload)
                ?? throw new TranscriptIntegrityException("A transcript record decrypted to an empty payload.");
        }
        catch (JsonException ex)
        {
            throw new TranscriptIntegrityException("A transcript record decrypted to malformed JSON.", ex);
        }

        // An unknown risk name reads as the highest level: a record is never read as safer than it was written.
        RiskLevel risk = WireNames.TryParseRiskLevel(payload.Risk, out RiskLevel parsed) ? parsed : RiskLevel.Imminent;
        List<CrisisCategory> categories = [];
        foreach (string name in payload.Categories)
        {
            if (WireNames.TryParseCategory(name, out CrisisCategory category))
            {
                categories.Add(category);
            }
        }

        return new TranscriptEntry(ParseRole(payload.Role), payload.Text, createdAt, risk, categories) { IsRedacted = payload.Redacted, AuthorId = payload.Author };
    }

    /// <summary>The role's name in records and exports: <c>user</c>, <c>assistant</c> or <c>operator</c>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>Its name.</returns>
    public static string RoleName(TranscriptRole role) => role switch
    {
        TranscriptRole.User => "user",
        TranscriptRole.Operator => "operator",
        _ => "assistant",
    };

    private static TranscriptRole ParseRole(string name) => name switch
    {
        "user" => TranscriptRole.User,
        "operator" => TranscriptRole.Operator,
        _ => TranscriptRole.Assistant,
    };
}
