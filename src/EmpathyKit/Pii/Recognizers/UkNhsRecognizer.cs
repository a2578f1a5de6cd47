using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// UK NHS numbers: ten digits (3-3-4) whose last digit is the mod-11 check of the first nine with weights 10..2
/// (a check of 11 is 0; 10 is invalid). A valid one scores 1.0 next to "NHS", and 0.55 without context.
/// </summary>
internal sealed partial class UkNhsRecognizer : IPiiRecognizer
{
    public string Name => "uk_nhs";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in NhsRegex().Matches(text.Text))
        {
            string digits = RegexRecognizer.Digits(m.ValueSpan);
            if (!IsValid(digits))
            {
                continue;
            }

            RegexRecognizer.Add(results, text, m, PiiTypes.UkNhs, 0.55, 1.0, "nhs_mod11", PiiContextWords.Nhs);
        }
    }

    internal static bool IsValid(string digits)
    {
        if (digits.Length != 10)
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        int check = 11 - (sum % 11);
        check = check == 11 ? 0 : check;
        return check != 10 && check == digits[9] - '0';
    }

    [GeneratedRegex(@"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex NhsRegex();
}
