using System.Text.Json.Serialization;

namespace EmpathyKit.Crisis;

/// <summary>The JSON shape of a crisis directory file.</summary>
internal sealed class CrisisDirectoryFile
{
    [JsonPropertyName("version")]
    public string Version { get; set; } = "unversioned";

    [JsonPropertyName("entries")]
    public List<Entry> Entries { get; set; } = [];

    internal sealed class Entry
    {
        [JsonPropertyName("country")]
        public string Country { get; set; } = string.Empty;

        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("emergency")]
        public string Emergency { get; set; } = string.Empty;

        [JsonPropertyName("source")]
        public string Source { get; set; } = string.Empty;

        [JsonPropertyName("verifiedOn")]
        public string VerifiedOn { get; set; } = string.Empty;

        [JsonPropertyName("lines")]
        public List<Line> Lines { get; set; } = [];
    }

    internal sealed class Line
    {
        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("number")]
        public string Number { get; set; } = string.Empty;

        [JsonPropertyName("how")]
        public string How { get; set; } = string.Empty;
    }
}

/// <summary>Source-generated JSON for <see cref="CrisisDirectoryFile"/>.</summary>
[JsonSerializable(typeof(CrisisDirectoryFile))]
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
internal sealed partial class CrisisDirectoryJsonContext : JsonSerializerContext;
