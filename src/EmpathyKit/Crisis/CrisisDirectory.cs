using System.Collections.Frozen;

namespace EmpathyKit;

/// <summary>
/// Crisis lines and emergency numbers by country, shipped as dated data with a source per entry and a fallback entry
/// (findahelpline.com) for countries not listed. Hosts can override or extend it with <see cref="With"/>.
/// </summary>
/// <remarks>
/// Crisis lines change; every entry carries the date it was last checked. The built-in entries follow the project's
/// crisis guide as of <see cref="DataVersion"/> and must be verified before each release.
/// </remarks>
public sealed class CrisisDirectory
{
    private static readonly DateOnly Listed = new(2026, 11, 21);

    private readonly FrozenDictionary<string, CrisisDirectoryEntry> _entries;

    private CrisisDirectory(IEnumerable<CrisisDirectoryEntry> entries)
    {
        _entries = entries.ToFrozenDictionary(e => e.CountryCode, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the version of the built-in data.</summary>
    public static string DataVersion => "2026-11-21";

    /// <summary>Gets the built-in directory.</summary>
    public static CrisisDirectory Default { get; } = new(BuiltIn());

    /// <summary>Gets the fallback entry used for countries not in the directory.</summary>
    public CrisisDirectoryEntry Fallback => _entries["*"];

    /// <summary>Gets every entry, the fallback included.</summary>
    public IEnumerable<CrisisDirectoryEntry> Entries => _entries.Values;

    /// <summary>Finds the entry for a country, or the fallback.</summary>
    /// <param name="countryCode">An ISO 3166-1 alpha-2 code (case-insensitive); <see langword="null"/> for the fallback.</param>
    /// <returns>The country's entry, or <see cref="Fallback"/>.</returns>
    public CrisisDirectoryEntry Find(string? countryCode) =>
        countryCode is not null && _entries.TryGetValue(countryCode.Trim(), out CrisisDirectoryEntry? entry) ? entry : Fallback;

    /// <summary>Returns a directory with the given entries added or replacing those of the same country.</summary>
    /// <param name="entries">The entries to add or replace (use country code <c>*</c> to replace the fallback).</param>
    /// <returns>A new directory.</returns>
    public CrisisDirectory With(IEnumerable<CrisisDirectoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var merged = _entries.ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (CrisisDirectoryEntry entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (string.IsNullOrWhiteSpace(entry.EmergencyNumber) || entry.Lines.Count == 0)
            {
                throw new ArgumentException($"The crisis directory entry for '{entry.CountryCode}' needs an emergency number and at least one line.", nameof(entries));
            }

            merged[entry.CountryCode] = entry;
        }

        return new CrisisDirectory(merged.Values);
    }

    /// <summary>Gets every number in the directory (for the PII allow-list: crisis numbers are never redacted).</summary>
    /// <returns>The numbers as written.</returns>
    public IEnumerable<string> AllNumbers() =>
        _entries.Values.SelectMany(e => e.Lines.Select(l => l.Number).Append(e.EmergencyNumber));

    private static IEnumerable<CrisisDirectoryEntry> BuiltIn()
    {
        static CrisisDirectoryEntry E(string code, string name, string emergency, string source, params CrisisLine[] lines) =>
            new(code, name, emergency, lines, source, Listed);

        yield return E("*", "Other countries", "your local emergency number", "findahelpline.com",
            new CrisisLine("Find A Helpline", "findahelpline.com", "find a free, confidential line near you"));
        yield return E("US", "United States", "911", "988lifeline.org; crisistextline.org",
            new CrisisLine("988 Suicide & Crisis Lifeline", "988", "call or text"),
            new CrisisLine("Crisis Text Line", "741741", "text HOME"));
        yield return E("CA", "Canada", "911", "988.ca", new CrisisLine("9-8-8 Suicide Crisis Helpline", "988", "call or text"));
        yield return E("GB", "United Kingdom", "999", "samaritans.org; giveusashout.org",
            new CrisisLine("Samaritans", "116 123", "call, free, 24/7"),
            new CrisisLine("Shout", "85258", "text SHOUT"));
        yield return E("IE", "Ireland", "112", "samaritans.org; pieta.ie",
            new CrisisLine("Samaritans", "116 123", "call, free, 24/7"),
            new CrisisLine("Pieta", "1800 247 247", "call, free, 24/7"));
        yield return E("AU", "Australia", "000", "lifeline.org.au",
            new CrisisLine("Lifeline", "13 11 14", "call"),
            new CrisisLine("Lifeline text", "0477 13 11 14", "text"));
        yield return E("NZ", "New Zealand", "111", "1737.org.nz", new CrisisLine("1737, Need to talk?", "1737", "call or text"));
        yield return E("FR", "France", "112", "3114.fr", new CrisisLine("3114 (numéro national de prévention du suicide)", "3114", "call, free, 24/7"));
        yield return E("DE", "Germany", "112", "telefonseelsorge.de",
            new CrisisLine("TelefonSeelsorge", "0800 111 0 111", "call, free, 24/7"),
            new CrisisLine("TelefonSeelsorge", "0800 111 0 222", "call, free, 24/7"));
        yield return E("ES", "Spain", "112", "sanidad.gob.es (Línea 024)", new CrisisLine("Línea 024", "024", "call, free, 24/7"));
        yield return E("NL", "Netherlands", "112", "113.nl",
            new CrisisLine("113 Zelfmoordpreventie", "113", "call"),
            new CrisisLine("113 Zelfmoordpreventie (free)", "0800-0113", "call, free"));
        yield return E("KR", "South Korea", "119", "mohw.go.kr (109 since 2024)", new CrisisLine("Suicide prevention line", "109", "call, 24/7"));
        yield return E("IN", "India", "112", "telemanas.mohfw.gov.in", new CrisisLine("Tele-MANAS", "14416", "call, free, 24/7"));
        yield return E("BR", "Brazil", "192", "cvv.org.br", new CrisisLine("CVV", "188", "call, free, 24/7"));
        yield return E("SG", "Singapore", "995", "sos.org.sg", new CrisisLine("Samaritans of Singapore (SOS)", "1767", "call, 24/7"));
    }
}
