using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Postal codes: any code right after "zip", "postcode" or "postal code"; UK postcodes by their position rules
/// (<c>A9 9AA</c> … <c>AA9A 9AA</c>); Canadian <c>A9A 9A9</c>; and US ZIP or ZIP+4 only with
/// address context (a state abbreviation just before it, or a word such as "zip" or "address").
/// </summary>
internal sealed partial class PostcodeRecognizer : IPiiRecognizer
{
    private static readonly FrozenSet<string> States = new[]
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
        "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
        "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
    }.ToFrozenSet(StringComparer.Ordinal);

    public string Name => "postcode";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in UkRegex().Matches(text.Text))
        {
            RegexRecognizer.Add(results, text, m, PiiTypes.Postcode, 0.75, 0.95, "postcode_uk", PiiContextWords.Postcode, window: 8);
        }

        foreach (Match m in CuedRegex().Matches(text.Text))
        {
            Group code = m.Groups["code"];
            results.Add(new PiiEntity(PiiTypes.Postcode, code.Index, code.Index + code.Length, 0.95, "postcode_after_cue", m.Groups["cue"].Value.ToLowerInvariant()));
        }

        foreach (Match m in CanadaRegex().Matches(text.Text))
        {
            RegexRecognizer.Add(results, text, m, PiiTypes.Postcode, 0.75, 0.95, "postcode_ca", PiiContextWords.Postcode, window: 8);
        }

        foreach (Match m in ZipRegex().Matches(text.Text))
        {
            Group state = m.Groups["state"];
            bool stateBefore = state.Success && States.Contains(state.Value);
            string? context = stateBefore ? state.Value : text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Postcode, window: 8);
            Group zip = m.Groups["zip"];
            if (context is null || (!stateBefore && FollowedByWord(text.Text, zip.Index + zip.Length)))
            {
                // Without a state, a five-digit number followed by a word is a house number ("28245 Puruntie"), not a ZIP.
                continue;
            }

            results.Add(new PiiEntity(PiiTypes.Postcode, zip.Index, zip.Index + zip.Length, stateBefore ? 0.9 : 0.75, "zip_with_address_context", context));
        }
    }

    private static bool FollowedByWord(string text, int end)
    {
        int k = end;
        while (k < text.Length && text[k] is ' ' or '\t')
        {
            k++;
        }

        return k < text.Length && char.IsLetter(text[k]);
    }

    [GeneratedRegex(@"\b(?<cue>zip(?:\s?code)?|post\s?code|postal\s?code|post\s?number|plz|cap)(?:\s+is|:)?\s+(?<code>(?=[A-Z0-9-]*\d)[A-Z0-9]{2,8}(?:[ -][A-Z0-9]{2,4})?)(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex CuedRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ ]?\d[ABCEGHJ-NPRSTV-Z]\d(?![A-Za-z0-9])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex CanadaRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])[ ]?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex UkRegex();

    [GeneratedRegex(@"(?:(?<state>\b[A-Z]{2}),?[ ]{1,2})?(?<zip>(?<![\d-])\d{5}(?:-\d{4})?)(?![\d-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex ZipRegex();
}
