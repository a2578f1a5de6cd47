using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// IBANs (ISO 13616): country code, two check digits and a BBAN of the country's exact length, written plain or in
/// groups of four; valid only when mod-97 of the rearranged number is 1. The match stops at the country's length, so
/// separators never swallow the next word.
/// </summary>
internal sealed partial class IbanRecognizer : IPiiRecognizer
{
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public string Name => "iban";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        string s = text.Text;
        foreach (Match m in StartRegex().Matches(s))
        {
            string country = s.Substring(m.Index, 2).ToUpperInvariant();
            if (!Lengths.TryGetValue(country, out int length))
            {
                continue;
            }

            var compact = new System.Text.StringBuilder(length);
            int i = m.Index;
            int end = i;
            while (i < s.Length && compact.Length < length)
            {
                char c = s[i];
                if (char.IsAsciiLetterOrDigit(c))
                {
                    compact.Append(char.ToUpperInvariant(c));
                    end = ++i;
                }
                else if (c == ' ' && i + 1 < s.Length && char.IsAsciiLetterOrDigit(s[i + 1]) && compact.Length >= 4)
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (compact.Length == length && (end == s.Length || !char.IsAsciiLetterOrDigit(s[end])) && Mod97(compact.ToString()) == 1)
            {
                results.Add(new PiiEntity(PiiTypes.Iban, m.Index, end, 1.0, "iban_mod97", text.FindContext(m.Index, end, PiiContextWords.Iban)));
            }
        }
    }

    /// <summary>ISO 7064 mod-97-10 of the IBAN rearranged (first four characters moved to the end, letters as 10–35).</summary>
    internal static int Mod97(string iban)
    {
        int remainder = 0;
        for (int k = 0; k < iban.Length; k++)
        {
            char c = iban[(k + 4) % iban.Length];
            int value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?=[ ]?[A-Z0-9])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex StartRegex();
}
