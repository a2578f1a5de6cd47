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
}

/// <summary>Source-generated JSON for <see cref="TranscriptPayload"/> (trim-safe).</summary>
[JsonSerializable(typeof(TranscriptPayload))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
