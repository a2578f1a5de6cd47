using System.Text.RegularExpressions;

namespace EmpathyKit.Pii;

/// <summary>
/// What the stages do with placeholders in a text, in the format of the configured redactor
/// (<see cref="IPiiRedactor.PlaceholderFormat"/>): collect them, find ones nobody gave the model, remove the rest.
/// </summary>
internal static class PiiPlaceholders
{
    /// <summary>The neutral marker that takes the place of a placeholder no value stands for.</summary>
    internal const string RemovedMarker = "(redacted)";

    /// <summary>
    /// Replaces placeholders that could not be turned back into values (a model inventing <c>[PERSON_7]</c>) with a
    /// neutral marker, so the user never sees redaction syntax.
    /// </summary>
    /// <param name="format">The redactor's placeholder format.</param>
    /// <param name="text">Rehydrated text.</param>
    /// <param name="replaced">Whether any placeholder was replaced.</param>
    /// <returns>The text without placeholders.</returns>
    public static string RemoveUnknown(PiiPlaceholderFormat format, string text, out bool replaced)
    {
        Regex pattern = format.Pattern;
        if (!MayContain(format, text) || !pattern.IsMatch(text))
        {
            replaced = false;
            return text;
        }

        replaced = true;
        return pattern.Replace(text, RemovedMarker);
    }

    /// <summary>Collects the placeholders present in a text.</summary>
    /// <param name="format">The redactor's placeholder format.</param>
    /// <param name="text">The text.</param>
    /// <param name="into">The set to add them to.</param>
    public static void Collect(PiiPlaceholderFormat format, string text, HashSet<string> into)
    {
        if (MayContain(format, text))
        {
            foreach (Match match in format.Pattern.Matches(text))
            {
                into.Add(match.Value);
            }
        }
    }

    /// <summary>Whether a text holds a placeholder that is not among the known ones, or one cut short.</summary>
    /// <param name="format">The redactor's placeholder format.</param>
    /// <param name="text">The text (a sentence of a reply).</param>
    /// <param name="known">The placeholders the provider was given.</param>
    /// <returns><see langword="true"/> for a leak.</returns>
    public static bool HasUnknown(PiiPlaceholderFormat format, string text, IReadOnlySet<string> known)
    {
        if (!MayContain(format, text))
        {
            return false;
        }

        foreach (Match match in format.Pattern.Matches(text))
        {
            if (!known.Contains(match.Value))
            {
                return true;
            }
        }

        return format.ContainsPartial(text);
    }

    /// <summary>A cheap first look: no opening, no placeholder.</summary>
    private static bool MayContain(PiiPlaceholderFormat format, string text) =>
        format.Opening is not { Length: > 0 } opening || text.Contains(opening, StringComparison.Ordinal);
}
