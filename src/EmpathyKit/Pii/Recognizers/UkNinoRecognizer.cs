using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// UK national insurance numbers: <c>AB 12 34 56 C</c> (first letter not D F I Q U V, second not D F I O Q U V, prefix
/// not BG GB KN NK NT TN ZZ, suffix A–D). Next to "national insurance" or "NI", a malformed one is accepted too
/// (privacy wins).
/// </summary>
internal sealed partial class UkNinoRecognizer : IPiiRecognizer
{
    private static readonly HashSet<string> BannedPrefixes = new(StringComparer.Ordinal) { "BG", "GB", "KN", "NK", "NT", "TN", "ZZ" };

    public string Name => "uk_nino";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in LooseRegex().Matches(text.Text))
        {
            string compact = new([.. m.Value.Where(char.IsAsciiLetterOrDigit)]);
            string upper = compact.ToUpperInvariant();
            bool valid = ValidRegex().IsMatch(upper) && !BannedPrefixes.Contains(upper[..2]);
            string? context = text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Nino, window: 4, after: false);
            if (valid && compact == upper)
            {
                results.Add(new PiiEntity(PiiTypes.UkNino, m.Index, m.Index + m.Length, context is null ? 0.85 : 1.0, "nino_pattern", context));
            }
            else if (context is not null)
            {
                results.Add(new PiiEntity(PiiTypes.UkNino, m.Index, m.Index + m.Length, 0.7, "nino_malformed_with_context", context));
            }
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-Za-z](?![A-Za-z0-9])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex LooseRegex();

    [GeneratedRegex(@"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex ValidRegex();
}
