namespace EmpathyKit;

/// <summary>Per-turn settings for <see cref="ISupportChat"/>.</summary>
public sealed record SupportTurnOptions
{
    /// <summary>
    /// Gets the ISO 3166-1 alpha-2 country of the user (for example from their locale), which chooses the crisis lines and
    /// emergency number; <see langword="null"/> uses the pipeline's <c>Country</c> option.
    /// </summary>
    public string? Country { get; init; }
}
