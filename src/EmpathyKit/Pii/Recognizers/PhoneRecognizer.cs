using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Telephone numbers: E.164 (<c>+CC</c>, 8–15 digits) and national forms of the US/CA (NPA and NXX start 2–9), UK, IE,
/// DE, FR, NL, AU (trunk 0), ES (6–9, nine digits) and IN (6–9, ten digits), with separators, brackets and extensions.
/// A candidate must take its whole digit run, so dates, times (colons), ratios (slashes), money and percentages are
/// not phones; numbers in no known national shape count only with a context word nearby ("call", "phone", …).
/// </summary>
internal sealed partial class PhoneRecognizer : IPiiRecognizer
{
    public string Name => "phone";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in PhoneRegex().Matches(text.Text))
        {
            Group number = m.Groups["number"];
            if (DateLikeRegex().IsMatch(number.ValueSpan))
            {
                continue;
            }

            string digits = RegexRecognizer.Digits(number.ValueSpan);
            if (digits.Length is < 7 or > 15)
            {
                continue;
            }

            bool international = number.ValueSpan[0] == '+';
            (double score, string rule) = international
                ? (digits.Length >= 8 ? 0.85 : 0.4, "phone_e164")
                : Classify(digits, number.ValueSpan);
            string? context = text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Phone);
            if (context is not null)
            {
                score = Math.Max(score, 0.6) + 0.1;
            }

            if (m.Groups["ext"].Success)
            {
                score = Math.Max(score, 0.8);
            }

            results.Add(new PiiEntity(PiiTypes.Phone, m.Index, m.Index + m.Length, Math.Min(1.0, score), rule, context));
        }
    }

    private static (double Score, string Rule) Classify(string d, ReadOnlySpan<char> written)
    {
        bool grouped = written.ContainsAny(' ', '-', '.') || written.Contains('(');
        if (d.Length == 10 && d[0] is >= '2' and <= '9' && d[3] is >= '2' and <= '9' && (grouped || written.Contains('(')))
        {
            return (0.75, "phone_nanp");
        }

        if (d.Length == 11 && d[0] == '1' && d[1] is >= '2' and <= '9' && d[4] is >= '2' and <= '9')
        {
            return (0.75, "phone_nanp");
        }

        if (d[0] == '0' && d[1] != '0' && d.Length is >= 9 and <= 12)
        {
            // Trunk-prefix national numbers: UK (10–11), IE (9–10), DE (10–12), FR, NL, AU (10).
            return (0.75, "phone_national_trunk");
        }

        if (d.Length == 9 && d[0] is >= '6' and <= '9' && grouped)
        {
            return (0.55, "phone_es");
        }

        if (d.Length == 10 && d[0] is >= '6' and <= '9')
        {
            return (0.6, "phone_in");
        }

        return (0.3, "phone_digits");
    }

    [GeneratedRegex(@"(?<number>(?:(?<![\w+$£€/.:-])\+\d{1,3}[ .-]?|(?<![\w+$£€/.:-]|\d[ .-]))(?:\(\d{1,5}\)[ .-]?)?\d(?:[ .-]?\d){5,14})(?![%/:-]|[ .-]?\d|(?!x\d)\w)(?:(?<ext>,?[ ]?(?:ext\.?|extension|x|\#)[ ]?\d{1,6})(?!\w))?", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex DateLikeRegex();
}
