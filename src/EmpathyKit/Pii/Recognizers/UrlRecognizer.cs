using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// URLs with a scheme or <c>www.</c>, and bare domains with a common top-level domain (with a path they score higher);
/// trailing sentence punctuation is not part of the URL.
/// </summary>
internal sealed partial class UrlRecognizer : IPiiRecognizer
{
    public string Name => "url";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!text.Text.Contains('.', StringComparison.Ordinal) || !DomainHintRegex().IsMatch(text.Text))
        {
            return;
        }

        foreach (Match m in SchemeRegex().Matches(text.Text))
        {
            int end = TrimEnd(text.Text, m.Index, m.Index + m.Length);
            results.Add(new PiiEntity(PiiTypes.Url, m.Index, end, 0.95, "url_scheme"));
        }

        foreach (Match m in BareRegex().Matches(text.Text))
        {
            int end = TrimEnd(text.Text, m.Index, m.Index + m.Length);
            bool path = m.Groups["path"].Success && m.Groups["path"].Length > 1;
            results.Add(new PiiEntity(PiiTypes.Url, m.Index, end, path ? 0.85 : 0.6, path ? "url_domain_path" : "url_domain"));
        }
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && text[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\'' or '"')
        {
            end--;
        }

        return end;
    }

    [GeneratedRegex(@"[A-Za-z0-9]\.[A-Za-z]{2}", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex DomainHintRegex();

    [GeneratedRegex(@"(?<![\w@])(?:https?://|www\.)[^\s<>""']{2,2048}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex SchemeRegex();

    [GeneratedRegex(@"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,5}(?:com|org|net|edu|gov|io|co|uk|de|fr|jp|me|app|ly|tv|info|biz|us|ca|au|nz|ie|in|es|nl|it|ch|se|no|dk|fi|pl|br|mx|social|blog|dev)(?<path>/[^\s<>""']*)?(?![\w@-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex BareRegex();
}
