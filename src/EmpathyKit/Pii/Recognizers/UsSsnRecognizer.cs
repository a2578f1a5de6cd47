using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// US social security numbers: <c>AAA-GG-SSSS</c> with dashes, spaces or dots (area not 000, 666 or 900–999; group not
/// 00; serial not 0000). Bare nine digits count only with a context word (SSN, social, security).
/// </summary>
internal sealed partial class UsSsnRecognizer : IPiiRecognizer
{
    public string Name => "us_ssn";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        foreach (Match m in SsnRegex().Matches(text.Text))
        {
            int area = int.Parse(m.Groups["area"].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
            if (area == 0 || area == 666 || area >= 900 || m.Groups["group"].ValueSpan.SequenceEqual("00") || m.Groups["serial"].ValueSpan.SequenceEqual("0000"))
            {
                continue;
            }

            string? context = text.FindContext(m.Index, m.Index + m.Length, PiiContextWords.Ssn, window: 4, after: false);
            bool bare = m.Groups["sep"].Length == 0;
            if (bare && context is null)
            {
                continue;
            }

            results.Add(new PiiEntity(PiiTypes.UsSsn, m.Index, m.Index + m.Length, context is null ? 0.7 : 1.0, bare ? "ssn_bare_with_context" : "ssn_pattern", context));
        }
    }

    [GeneratedRegex(@"(?<![\d-])(?<area>\d{3})(?<sep>[- .]?)(?<group>\d{2})\k<sep>(?<serial>\d{4})(?![\d-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex SsnRegex();
}
