using System.Globalization;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Payment cards: 13–19 digits (groups of 4, Amex 4-6-5, or none) with a known issuer range (Visa, Mastercard 51–55 and
/// 2221–2720, Amex, Discover, JCB, Diners, UnionPay) and a valid Luhn digit, so a phone with its + stripped is not a card.
/// </summary>
internal sealed partial class CreditCardRecognizer : IPiiRecognizer
{
    public string Name => "credit_card";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        foreach (Match m in CardRegex().Matches(text.Text))
        {
            string digits = RegexRecognizer.Digits(m.ValueSpan);
            if (digits.Length is >= 13 and <= 19 && HasIssuerPrefix(digits) && Luhn.IsValid(digits))
            {
                results.Add(new PiiEntity(PiiTypes.CreditCard, m.Index, m.Index + m.Length, 1.0, "card_issuer_luhn",
                    text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Card)));
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
            || two == 62;
    }

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex CardRegex();
}
