namespace EmpathyKit;

/// <summary>Per-turn settings for <see cref="ISupportChat"/>.</summary>
public sealed record SupportTurnOptions
{
    /// <summary>
    /// Gets the ISO 3166-1 alpha-2 country of the user (for example from their locale), which chooses the crisis lines and
    /// emergency number; <see langword="null"/> uses the pipeline's <c>Country</c> option.
    /// </summary>
    public string? Country { get; init; }

    /// <summary>
    /// Gets the data subject the conversation belongs to (for example the app's user id): the unit of export and
    /// erasure. <see langword="null"/> makes the conversation its own subject. Stored only as a keyed pseudonym.
    /// </summary>
    public string? SubjectId { get; init; }

    /// <summary>Gets the tenant (organisation or app instance); <see langword="null"/> is <see cref="TranscriptAddress.DefaultTenant"/>.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets a value indicating whether the reply waits until the turn's transcript entries are durable (default: they are queued).</summary>
    public bool WaitForTranscript { get; init; }
}
