namespace EmpathyKit;

/// <summary>One message of a conversation as kept in the encrypted transcript.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Text">The text (redacted unless the host opted to keep originals; always encrypted at rest).</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Risk">The turn's assessed risk level.</param>
/// <param name="Categories">The turn's crisis categories.</param>
public sealed record TranscriptEntry(
    TranscriptRole Role,
    string Text,
    DateTimeOffset CreatedAt,
    RiskLevel Risk,
    IReadOnlyList<CrisisCategory> Categories);
