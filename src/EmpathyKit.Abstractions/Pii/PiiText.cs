namespace EmpathyKit;

/// <summary>
/// A text under analysis with its words (lower case, with offsets), so recognizers can look for context words as whole
/// words near a match (never as substrings: "lic" does not match inside "duplicate"). Dotted initialisms are joined
/// ("D.O.B." is the word <c>dob</c>).
/// </summary>
public sealed class PiiText
{
    private List<(int Start, int End, string Word)>? _words;

    /// <summary>Initializes a new instance of the <see cref="PiiText"/> class.</summary>
    /// <param name="text">The text.</param>
    public PiiText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>Gets the text.</summary>
    public string Text { get; }

    /// <summary>Gets the words of the text in order: lower-case letters and digits, with their offsets.</summary>
    public IReadOnlyList<(int Start, int End, string Word)> Words => _words ??= Tokenize(Text);

    /// <summary>
    /// Finds a context word among the <paramref name="window"/> words before <paramref name="start"/> or after
    /// <paramref name="end"/>.
    /// </summary>
    /// <param name="start">Start of the match.</param>
    /// <param name="end">End of the match.</param>
    /// <param name="contextWords">Lower-case context words.</param>
    /// <param name="window">How many words to look at on each side.</param>
    /// <param name="after">Whether to look after the match too.</param>
    /// <returns>The first context word found (nearest before, then after), or <see langword="null"/>.</returns>
    public string? FindContext(int start, int end, IReadOnlySet<string> contextWords, int window = 5, bool after = true)
    {
        ArgumentNullException.ThrowIfNull(contextWords);
        IReadOnlyList<(int Start, int End, string Word)> words = Words;
        int first = FirstWordAtOrAfter(start);
        for (int i = first - 1, seen = 0; i >= 0 && seen < window; i--, seen++)
        {
            if (contextWords.Contains(words[i].Word))
            {
                return words[i].Word;
            }
        }

        if (!after)
        {
            return null;
        }

        int next = FirstWordAtOrAfter(end);
        for (int i = next, seen = 0; i < words.Count && seen < window; i++, seen++)
        {
            if (contextWords.Contains(words[i].Word))
            {
                return words[i].Word;
            }
        }

        return null;
    }

    private int FirstWordAtOrAfter(int offset)
    {
        IReadOnlyList<(int Start, int End, string Word)> words = Words;
        int lo = 0;
        int hi = words.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (words[mid].Start < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static List<(int Start, int End, string Word)> Tokenize(string text)
    {
        var words = new List<(int, int, string)>();
        var builder = new System.Text.StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            builder.Clear();
            if (char.IsLetter(text[i]) && i + 2 < text.Length && text[i + 1] == '.' && char.IsLetter(text[i + 2])
                && (i + 3 >= text.Length || !char.IsLetterOrDigit(text[i + 3])))
            {
                // An initialism such as "D.O.B." is one word: "dob".
                while (i + 1 < text.Length && char.IsLetter(text[i]) && text[i + 1] == '.')
                {
                    builder.Append(char.ToLowerInvariant(text[i]));
                    i += 2;
                }

                if (i < text.Length && char.IsLetter(text[i]) && (i + 1 >= text.Length || !char.IsLetterOrDigit(text[i + 1])))
                {
                    builder.Append(char.ToLowerInvariant(text[i]));
                    i++;
                }
            }
            else
            {
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    builder.Append(char.ToLowerInvariant(text[i]));
                    i++;
                }
            }

            words.Add((start, i, builder.ToString()));
        }

        return words;
    }
}
