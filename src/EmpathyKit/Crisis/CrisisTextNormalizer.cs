using System.Text;
using System.Text.RegularExpressions;

namespace EmpathyKit.Crisis;

/// <summary>
/// Normalises a message for crisis matching: lower case, straight apostrophes, contractions expanded ("don't" →
/// "do not", "Ive" → "i have"), slang and obfuscations mapped ("kms" → "kill myself", "unalive", "sewerslide",
/// "k*ll"), letter runs of three or more collapsed ("sooooo" → "so"), and white space folded.
/// </summary>
internal static partial class CrisisTextNormalizer
{
    private static readonly (string From, string To)[] WordMap =
    [
        ("im", "i am"), ("ive", "i have"), ("id", "i would"), ("ill", "i will"), ("dont", "do not"), ("doesnt", "does not"),
        ("didnt", "did not"), ("cant", "can not"), ("cannot", "can not"), ("wont", "will not"), ("wouldnt", "would not"),
        ("isnt", "is not"), ("wasnt", "was not"), ("arent", "are not"), ("werent", "were not"), ("havent", "have not"),
        ("hasnt", "has not"), ("hadnt", "had not"), ("shouldnt", "should not"), ("couldnt", "could not"),
        ("wanna", "want to"), ("gonna", "going to"), ("gotta", "got to"), ("kms", "kill myself"), ("kys", "kill yourself"),
        ("unalive", "kill"), ("unaliving", "killing"), ("sewerslide", "suicide"), ("suicied", "suicide"), ("sucide", "suicide"),
        ("suicde", "suicide"), ("myslef", "myself"), ("ded", "dead"), ("tmrw", "tomorrow"), ("tn", "tonight"), ("2nite", "tonight"),
        ("u", "you"), ("r", "are"), ("ppl", "people"), ("rn", "right now"), ("bc", "because"), ("cuz", "because"),
    ];

    private static readonly Dictionary<string, string> Map = WordMap.ToDictionary(p => p.From, p => p.To, StringComparer.Ordinal);

    /// <summary>Normalises <paramref name="text"/>.</summary>
    /// <param name="text">The raw message.</param>
    /// <returns>The normalised text: words separated by single spaces, sentence punctuation kept.</returns>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsLetterOrDigit(c) || c == '*')
            {
                int start = builder.Length;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '*' or '\'' or '\u2019'))
                {
                    char w = text[i];
                    if (w is not ('\'' or '\u2019'))
                    {
                        builder.Append(char.ToLowerInvariant(w));
                    }
                    else if (i + 1 < text.Length && text[i + 1] is 's' or 'S' && (i + 2 >= text.Length || !char.IsLetter(text[i + 2])))
                    {
                        // "it's"/"what's": keep the possessive or contraction as a separate word.
                        builder.Append(' ');
                    }
                    else if (i + 2 < text.Length && text[i + 1] is 'r' or 'R' && text[i + 2] is 'e' or 'E' && (i + 3 >= text.Length || !char.IsLetter(text[i + 3])))
                    {
                        builder.Append(" a");
                    }
                    else if (i + 2 < text.Length && text[i + 1] is 'l' or 'L' && text[i + 2] is 'l' or 'L' && (i + 3 >= text.Length || !char.IsLetter(text[i + 3])))
                    {
                        builder.Append(" wi");
                    }
                    else if (i + 1 < text.Length && text[i + 1] is 'd' or 'D' && (i + 2 >= text.Length || !char.IsLetter(text[i + 2])))
                    {
                        builder.Append(" woul");
                    }
                    else if (i + 2 < text.Length && text[i + 1] is 'v' or 'V' && text[i + 2] is 'e' or 'E')
                    {
                        builder.Append(" ha");
                    }
                    else if (i + 1 < text.Length && text[i + 1] is 'm' or 'M')
                    {
                        builder.Append(" a");
                    }

                    i++;
                }

                string word = builder.ToString(start, builder.Length - start);
                string mapped = MapWord(word);
                if (!ReferenceEquals(mapped, word))
                {
                    builder.Length = start;
                    builder.Append(mapped);
                }

                builder.Append(' ');
                continue;
            }

            if (c is '.' or '!' or '?' or ';' or ',' or ':' or '\n')
            {
                if (builder.Length > 0 && builder[^1] == ' ')
                {
                    builder.Length--;
                }

                builder.Append(c == '\n' ? '.' : c).Append(' ');
            }

            i++;
        }

        return builder.ToString().TrimEnd();
    }

    private static string MapWord(string word)
    {
        string collapsed = CollapseRuns(word);
        if (collapsed.Contains('*', StringComparison.Ordinal))
        {
            collapsed = collapsed switch
            {
                "k*ll" or "k**l" or "ki*l" => "kill",
                "d*e" => "die",
                "s*icide" or "su*cide" or "suic*de" => "suicide",
                _ => collapsed.Replace("*", string.Empty, StringComparison.Ordinal),
            };
        }

        if (collapsed.Length > 0 && char.IsDigit(collapsed[^1]) && char.IsLetter(collapsed[0]))
        {
            collapsed = LeetRegex().Replace(collapsed, m => m.Value switch { "1" => "i", "3" => "e", "0" => "o", "4" => "a", _ => m.Value });
        }

        return Map.TryGetValue(collapsed, out string? mapped) ? mapped : collapsed;
    }

    /// <summary>Collapses every run of three or more identical letters to one ("sooo" → "so", "diiie" → "die").</summary>
    private static string CollapseRuns(string word)
    {
        StringBuilder? builder = null;
        int i = 0;
        while (i < word.Length)
        {
            int run = 1;
            while (i + run < word.Length && word[i + run] == word[i] && char.IsLetter(word[i]))
            {
                run++;
            }

            if (run >= 3)
            {
                builder ??= new StringBuilder(word.Length).Append(word, 0, i);
                builder.Append(word[i]);
            }
            else
            {
                builder?.Append(word, i, run);
            }

            i += run;
        }

        return builder?.ToString() ?? word;
    }

    [GeneratedRegex("[1304]", RegexOptions.CultureInvariant, 250)]
    private static partial Regex LeetRegex();
}
