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
    IReadOnlyList<CrisisCategory> Categories)
{
    /// <summary>
    /// Gets whether <see cref="Text"/> is the form the pipeline's redactor produced (PII replaced by placeholders), so
    /// it need not be redacted again when the conversation is read back. <see langword="false"/> for originals the host
    /// chose to keep, for a message whose redaction failed (kept as written rather than lost), and for records written
    /// before this flag existed.
    /// </summary>
    public bool IsRedacted { get; init; }

    /// <summary>Gets the operator who wrote an <see cref="TranscriptRole.Operator"/> entry (their id), or <see langword="null"/>.</summary>
    public string? AuthorId { get; init; }

    /// <summary>Gets the feedback a <see cref="TranscriptRole.Feedback"/> entry records (its note is <see cref="Text"/>), or <see langword="null"/>.</summary>
    public ReplyFeedback? Feedback { get; init; }
}
