using System.Globalization;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Payment cards: 13–19 digits (groups of 4, Amex 4-6-5, or none) with a known issuer range (Visa, Mastercard 51–55 and
/// 2221–2720, Amex, Discover, JCB incl. 15-digit 2131/1800, Diners, UnionPay, Maestro 12–19) and a valid Luhn digit, so a
/// phone with its + stripped is not a card; next to "card", any Luhn-valid 12–19 digits.
/// </summary>
internal sealed partial class CreditCardRecognizer : IPiiRecognizer
{
    public string Name => "credit_card";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in CardRegex().Matches(text.Text))
        {
            string digits = RegexRecognizer.Digits(m.ValueSpan);
            if (digits.Length is < 12 or > 19 || !Luhn.IsValid(digits))
            {
                continue;
            }

            string? context = text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Card, window: 6);
            if (HasIssuerPrefix(digits) && (digits.Length >= 13 || IsMaestro(digits)))
            {
                results.Add(new PiiEntity(PiiTypes.CreditCard, m.Index, m.Index + m.Length, 1.0, "card_issuer_luhn", context));
            }
            else if (context is not null)
            {
                // A Luhn-valid number right next to "card" is a card even from an issuer range we do not list.
                results.Add(new PiiEntity(PiiTypes.CreditCard, m.Index, m.Index + m.Length, 0.9, "card_luhn_with_context", context));
            }
        }
    }

    internal static bool HasIssuerPrefix(string d)
    {
        int two = int.Parse(d.AsSpan(0, 2), CultureInfo.InvariantCulture);
        int three = int.Parse(d.AsSpan(0, 3), CultureInfo.InvariantCulture);
        int four = int.Parse(d.AsSpan(0, 4), CultureInfo.InvariantCulture);
        return d[0] == '4'
            || two is >= 51 and <= 55
            || four is >= 2221 and <= 2720
            || two is 34 or 37
            || four == 6011 || three is >= 644 and <= 649 || two == 65
            || four is >= 3528 and <= 3589
            || two is 36 or 38 || three is >= 300 and <= 305
            || two == 62
            || IsMaestro(d)
            || (d.Length == 15 && (four == 2131 || four == 1800));
    }

    /// <summary>Maestro: 12–19 digits starting 50, or 56–69.</summary>
    internal static bool IsMaestro(string d) => d.Length >= 12 && (d.StartsWith("50", StringComparison.Ordinal) || d[0] == '6' || (d[0] == '5' && d[1] >= '6'));

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex CardRegex();
}
