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

    /// <summary>The operator who wrote an operator turn or feedback (absent otherwise).</summary>
    [JsonPropertyName("author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; set; }

    /// <summary>A feedback entry's verdict and rating (its note is the text).</summary>
    [JsonPropertyName("feedback")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FeedbackPayload? Feedback { get; set; }
}

/// <summary>The feedback part of a record's plaintext.</summary>
internal sealed class FeedbackPayload
{
    /// <summary>The rated reply's time, in UTC ticks.</summary>
    [JsonPropertyName("reply_at")]
    public long ReplyAt { get; set; }

    [JsonPropertyName("verdict")]
    public string Verdict { get; set; } = "harmful";

    [JsonPropertyName("rating")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Rating { get; set; }
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
                Feedback = entry.Feedback is { } f ? new FeedbackPayload { ReplyAt = f.ReplyAt.UtcTicks, Verdict = VerdictName(f.Verdict), Rating = f.EmpathyRating } : null,
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

        ReplyFeedback? feedback = payload.Feedback is { } f
            ? new ReplyFeedback(new DateTimeOffset(f.ReplyAt, TimeSpan.Zero), ParseVerdict(f.Verdict)) { EmpathyRating = f.Rating, Note = payload.Text.Length > 0 ? payload.Text : null }
            : null;
        return new TranscriptEntry(ParseRole(payload.Role), payload.Text, createdAt, risk, categories) { IsRedacted = payload.Redacted, AuthorId = payload.Author, Feedback = feedback };
    }

    /// <summary>The verdict's name in records and exports: <c>helpful</c>, <c>neutral</c> or <c>harmful</c>.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>Its name.</returns>
    public static string VerdictName(FeedbackVerdict verdict) => verdict switch
    {
        FeedbackVerdict.Helpful => "helpful",
        FeedbackVerdict.Neutral => "neutral",
        _ => "harmful",
    };

    // An unknown verdict reads as harmful: a review looks at it rather than passing over it.
    private static FeedbackVerdict ParseVerdict(string name) => name switch
    {
        "helpful" => FeedbackVerdict.Helpful,
        "neutral" => FeedbackVerdict.Neutral,
        _ => FeedbackVerdict.Harmful,
    };

    /// <summary>The role's name in records and exports: <c>user</c>, <c>assistant</c>, <c>operator</c> or <c>feedback</c>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>Its name.</returns>
    public static string RoleName(TranscriptRole role) => role switch
    {
        TranscriptRole.User => "user",
        TranscriptRole.Operator => "operator",
        TranscriptRole.Feedback => "feedback",
        _ => "assistant",
    };

    private static TranscriptRole ParseRole(string name) => name switch
    {
        "user" => TranscriptRole.User,
        "operator" => TranscriptRole.Operator,
        "feedback" => TranscriptRole.Feedback,
        _ => TranscriptRole.Assistant,
    };
}
