using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>Shared plumbing of the built-in recognizers: the match timeout and helpers over digits.</summary>
internal static class RegexRecognizer
{
    /// <summary>The match timeout of every built-in regex, in milliseconds.</summary>
    public const int Timeout = 250;

    /// <summary>Gets whether <paramref name="text"/> holds an ASCII digit (most recognizers cannot match without one).</summary>
    public static bool HasDigit(string text) => text.AsSpan().ContainsAnyInRange('0', '9');

    /// <summary>Copies the ASCII digits of <paramref name="text"/>.</summary>
    public static string Digits(ReadOnlySpan<char> text)
    {
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        int n = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                buffer[n++] = c;
            }
        }

        return new string(buffer[..n]);
    }

    /// <summary>Adds an entity for a match, raising its score when a context word is near.</summary>
    public static void Add(ICollection<PiiEntity> results, PiiText text, Match match, string type, double score, double contextScore, string rule, IReadOnlySet<string> context, int window = 5)
    {
        string? word = text.FindContext(match.Index, match.Index + match.Length, context, window);
        results.Add(new PiiEntity(type, match.Index, match.Index + match.Length, word is null ? score : contextScore, rule, word));
    }
}
