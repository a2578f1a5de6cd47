using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>E-mail addresses (RFC 5322 subset with a real-looking TLD), and spelled-out ones ("jo at gmail dot com").</summary>
internal sealed partial class EmailRecognizer : IPiiRecognizer
{
    public string Name => "email";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (text.Text.Contains('@', StringComparison.Ordinal))
        {
            foreach (Match m in EmailRegex().Matches(text.Text))
            {
                results.Add(new PiiEntity(PiiTypes.Email, m.Index, m.Index + m.Length, 1.0, "email_pattern"));
            }
        }

        // The spelled-out form needs both an "at" and a "dot" word; checking the words first keeps clean text cheap.
        if (!text.Words.Any(w => w.Word == "at") || !text.Words.Any(w => w.Word == "dot"))
        {
            return;
        }

        foreach (Match m in ObfuscatedRegex().Matches(text.Text))
        {
            results.Add(new PiiEntity(PiiTypes.Email, m.Index, m.Index + m.Length, 0.9, "email_spelled_out"));
        }
    }

    [GeneratedRegex(@"(?<![\w.+%-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z_-])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z0-9._%+-]{1,64}\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*[A-Za-z0-9-]{1,63}(?:\s*(?:\(dot\)|\[dot\]|\s+dot\s+|\.)\s*[A-Za-z0-9-]{1,63}){0,3}\s*(?:\(dot\)|\[dot\]|\s+dot\s+)\s*(?:com|org|net|edu|gov|io|co|uk|de|fr|ie|au|nz|ca|jp|in|es|nl|me|info)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex ObfuscatedRegex();
}
