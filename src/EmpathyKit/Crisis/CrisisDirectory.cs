using System.Collections.Frozen;

namespace EmpathyKit;

/// <summary>
/// Crisis lines and emergency numbers by country, shipped as versioned, dated data (the embedded
/// <c>crisis-directory.json</c>) with a source and a verification date per entry and a fallback entry (findahelpline.com)
/// for countries not listed. Hosts can extend or override it with <see cref="With"/>, or load their own file with
/// <see cref="Load"/>.
/// </summary>
/// <remarks>
/// Crisis lines change; every entry carries the date it was last checked against its source. The built-in entries follow
/// the project's crisis guide as of <see cref="DataVersion"/> and must be verified against each service before a release.
/// </remarks>
public sealed class CrisisDirectory
{
    private static readonly Lazy<CrisisDirectory> BuiltIn = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, CrisisDirectoryEntry> _entries;

    private CrisisDirectory(IEnumerable<CrisisDirectoryEntry> entries, string version)
    {
        _entries = entries.ToFrozenDictionary(e => e.CountryCode, StringComparer.OrdinalIgnoreCase);
        Version = version;
    }

    /// <summary>Gets the version of the built-in data.</summary>
    public static string DataVersion => Default.Version;

    /// <summary>Gets the built-in directory (embedded <c>crisis-directory.json</c>).</summary>
    public static CrisisDirectory Default => BuiltIn.Value;

    /// <summary>Gets this directory's data version.</summary>
    public string Version { get; }

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

        return new CrisisDirectory(merged.Values, Version + "+host");
    }

    /// <summary>Gets every number in the directory (for the PII allow-list: crisis numbers are never redacted).</summary>
    /// <returns>The numbers as written.</returns>
    public IEnumerable<string> AllNumbers() =>
        _entries.Values.SelectMany(e => e.Lines.Select(l => l.Number).Append(e.EmergencyNumber));

    /// <summary>
    /// Loads a directory from JSON in the shipped format (<c>version</c>, <c>entries</c> with <c>country</c>, <c>name</c>,
    /// <c>emergency</c>, <c>source</c>, <c>verifiedOn</c> and <c>lines</c>); it must include a fallback entry (<c>*</c>).
    /// </summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The directory.</returns>
    /// <exception cref="InvalidDataException">The data is malformed, an entry lacks an emergency number, a line or a source, or there is no fallback.</exception>
    public static CrisisDirectory Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Crisis.CrisisDirectoryFile file;
        try
        {
            file = System.Text.Json.JsonSerializer.Deserialize(json, Crisis.CrisisDirectoryJsonContext.Default.CrisisDirectoryFile)
                ?? throw new InvalidDataException("The crisis directory is empty.");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException("The crisis directory is not valid JSON in the expected format.", ex);
        }

        var entries = new List<CrisisDirectoryEntry>();
        foreach (Crisis.CrisisDirectoryFile.Entry e in file.Entries)
        {
            bool dated = DateOnly.TryParseExact(e.VerifiedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateOnly verified);
            if (!dated || string.IsNullOrWhiteSpace(e.Country) || string.IsNullOrWhiteSpace(e.Emergency) || string.IsNullOrWhiteSpace(e.Source) || e.Lines.Count == 0
                || e.Lines.Exists(l => string.IsNullOrWhiteSpace(l.Number)))
            {
                throw new InvalidDataException($"The crisis directory entry '{e.Country}' needs an emergency number, a source, a verification date and at least one line with a number.");
            }

            entries.Add(new CrisisDirectoryEntry(e.Country.Trim(), e.Name, e.Emergency, [.. e.Lines.Select(l => new CrisisLine(l.Name, l.Number, l.How))], e.Source, verified));
        }

        if (!entries.Exists(e => e.CountryCode == "*"))
        {
            throw new InvalidDataException("The crisis directory needs a fallback entry with country '*'.");
        }

        return new CrisisDirectory(entries, file.Version);
    }

    private static CrisisDirectory LoadBuiltIn()
    {
        using Stream stream = typeof(CrisisDirectory).Assembly.GetManifestResourceStream("EmpathyKit.Crisis.crisis-directory.json")
            ?? throw new InvalidOperationException("The built-in crisis directory is missing from the EmpathyKit assembly.");
        return Load(stream);
    }
}
