using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>Social-media handles: <c>@name</c> (letters, digits, underscores and inner dots), never part of an e-mail address.</summary>
internal sealed partial class SocialHandleRecognizer : IPiiRecognizer
{
    public string Name => "social_handle";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!text.Text.Contains('@', StringComparison.Ordinal))
        {
            return;
        }

        foreach (Match m in HandleRegex().Matches(text.Text))
        {
            RegexRecognizer.Add(results, text, m, PiiTypes.SocialHandle, 0.85, 1.0, "handle_at", PiiContextWords.Social);
        }
    }

    [GeneratedRegex(@"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex HandleRegex();
}
