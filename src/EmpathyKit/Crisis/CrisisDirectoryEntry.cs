namespace EmpathyKit;

/// <summary>The crisis resources of one country, with where they came from.</summary>
/// <param name="CountryCode">ISO 3166-1 alpha-2 code, upper case; <c>*</c> for the fallback entry.</param>
/// <param name="CountryName">The country's English name.</param>
/// <param name="EmergencyNumber">The local emergency number.</param>
/// <param name="Lines">Crisis lines, the first being the one a reply names.</param>
/// <param name="Source">Where the entry's facts come from.</param>
/// <param name="VerifiedOn">When the entry was last checked against its source.</param>
public sealed record CrisisDirectoryEntry(
    string CountryCode,
    string CountryName,
    string EmergencyNumber,
    IReadOnlyList<CrisisLine> Lines,
    string Source,
    DateOnly VerifiedOn);
