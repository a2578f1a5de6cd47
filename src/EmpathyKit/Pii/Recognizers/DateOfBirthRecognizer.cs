using System.Globalization;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Dates of birth: a calendar-valid date (numeric d/m/y or m/d/y, ISO y-m-d, "5th November 1990", "Jan 9, 1999") with
/// a birth context word before it (born, birth, DOB, birthday). Other dates ("Monday", "2 months ago") are not PII.
/// </summary>
internal sealed partial class DateOfBirthRecognizer : IPiiRecognizer
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public string Name => "date_of_birth";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text) || !text.Words.Any(w => PiiContextWords.Birth.Contains(w.Word)))
        {
            return;
        }

        foreach (Match m in DateRegex().Matches(text.Text))
        {
            if (!IsCalendarValid(m))
            {
                continue;
            }

            string? context = text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Birth, window: 6, after: false);
            if (context is not null)
            {
                results.Add(new PiiEntity(PiiTypes.DateOfBirth, m.Index, m.Index + m.Length, 0.9, "date_with_birth_context", context));
            }
        }
    }

    private static bool IsCalendarValid(Match m)
    {
        static int Int(Group g) => int.Parse(g.ValueSpan, CultureInfo.InvariantCulture);
        static int Year(int y) => y < 100 ? (y > 30 ? 1900 + y : 2000 + y) : y;
        static bool Valid(int y, int mo, int d) => y is >= 1900 and <= 2100 && mo is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, mo);

        if (m.Groups["iy"].Success)
        {
            return Valid(Int(m.Groups["iy"]), Int(m.Groups["im"]), Int(m.Groups["id"]));
        }

        if (m.Groups["na"].Success)
        {
            int a = Int(m.Groups["na"]);
            int b = Int(m.Groups["nb"]);
            int y = Year(Int(m.Groups["ny"]));
            return Valid(y, b, a) || Valid(y, a, b);
        }

        Group month = m.Groups["m1"].Success ? m.Groups["m1"] : m.Groups["m2"];
        int monthNumber = Array.IndexOf(Months, month.Value[..3].ToLowerInvariant()) + 1;
        int day = Int(m.Groups["d1"].Success ? m.Groups["d1"] : m.Groups["d2"]);
        int year = Int(m.Groups["y1"].Success ? m.Groups["y1"] : m.Groups["y2"]);
        return monthNumber > 0 && Valid(year, monthNumber, day);
    }

    [GeneratedRegex(
        @"(?<![\w/.-])(?:(?<iy>(?:19|20)\d{2})-(?<im>\d{1,2})-(?<id>\d{1,2})|(?<na>\d{1,2})([/.-])(?<nb>\d{1,2})\1(?<ny>\d{4}|\d{2})|(?<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?<m1>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?,?\s+(?<y1>(?:19|20)\d{2})|(?<m2>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?\s+(?<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y2>(?:19|20)\d{2}))(?![\w/-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        RegexRecognizer.Timeout)]
    private static partial Regex DateRegex();
}
