using System.Collections.Frozen;
using System.Reflection;

namespace EmpathyKit.Pii.Gazetteers;

/// <summary>
/// Reads one embedded word list of <c>Pii/Gazetteers/</c> (<c>EmpathyKit.Pii.Gazetteers.{name}.txt</c>): one entry a
/// line, lower-cased and trimmed; empty lines and lines starting with <c>#</c> (the header) are skipped.
/// </summary>
internal static class GazetteerFile
{
    /// <summary>Reads a list into a set.</summary>
    /// <param name="name">The file name without <c>.txt</c>.</param>
    /// <returns>The entries, compared ordinally.</returns>
    /// <exception cref="InvalidOperationException">The list is not embedded in the assembly.</exception>
    public static FrozenSet<string> Read(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"EmpathyKit.Pii.Gazetteers.{name}.txt")
            ?? throw new InvalidOperationException($"The embedded gazetteer '{name}' is missing from the EmpathyKit assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
