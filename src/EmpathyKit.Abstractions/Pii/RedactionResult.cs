namespace EmpathyKit;

/// <summary>The outcome of redacting one text.</summary>
/// <param name="RedactedText">The text with every detected entity replaced.</param>
/// <param name="Entities">The detected entities, with offsets into the original text.</param>
public sealed record RedactionResult(string RedactedText, IReadOnlyList<PiiEntity> Entities)
{
    /// <summary>Gets the entity types found, without values, for reports and metrics.</summary>
    public IReadOnlyList<string> EntityTypes => [.. Entities.Select(e => e.Type).Distinct(StringComparer.Ordinal)];
}
