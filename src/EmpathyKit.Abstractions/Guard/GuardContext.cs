namespace EmpathyKit;

/// <summary>What an output guard knows about the turn a reply answers.</summary>
/// <param name="TurnIndex">Zero-based index of the user turn in the conversation.</param>
/// <param name="Risk">The crisis level assessed for the user's message.</param>
/// <param name="UserText">
/// The user's message as the provider saw it (redacted; in-process only, a guard must not log it), so a guard can tell
/// solicited advice from unsolicited; <see langword="null"/> when unknown (advice is then treated as unsolicited).
/// </param>
/// <param name="KnownPlaceholders">
/// The redaction placeholders (<c>[PERSON_1]</c>) present in the messages the provider saw; any other placeholder in a
/// reply is a leak. <see langword="null"/> when unknown (placeholders are then not checked).
/// </param>
public sealed record GuardContext(int TurnIndex, RiskLevel Risk, string? UserText = null, IReadOnlySet<string>? KnownPlaceholders = null)
{
    /// <summary>
    /// Gets the format of the redaction placeholders (the configured redactor's
    /// <see cref="IPiiRedactor.PlaceholderFormat"/>), by which a guard finds placeholders in a reply.
    /// </summary>
    /// <value>Default: <see langword="null"/>, read as <see cref="PiiPlaceholderFormat.Default"/>.</value>
    public PiiPlaceholderFormat? PlaceholderFormat { get; init; }
}
