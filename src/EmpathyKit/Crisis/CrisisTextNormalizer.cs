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
        ("hes", "he is"), ("shes", "she is"), ("theyll", "they will"), ("theyd", "they would"), ("theyre", "they are"),
        ("youre", "you are"), ("gonnae", "going to"), ("u", "you"), ("r", "are"), ("ppl", "people"), ("rn", "right now"), ("bc", "because"), ("cuz", "because"),
    ];

    private static readonly Dictionary<string, string> Map = WordMap.ToDictionary(p => p.From, p => p.To, StringComparer.Ordinal);

    /// <summary>Normalises <paramref name="text"/>.</summary>
    /// <param name="text">The raw message.</param>
    /// <returns>The normalised text: words separated by single spaces, sentence punctuation kept.</returns>
    public static string Normalize(string text)
    {
        // Laughing emoji read as "lol": the hyperbole marker ("he put me in a headlock for the last biscuit 😂").
        if (text.Contains('\uD83D', StringComparison.Ordinal) || text.Contains('\uD83E', StringComparison.Ordinal))
        {
            text = text.Replace("\U0001F602", " lol ", StringComparison.Ordinal).Replace("\U0001F923", " lol ", StringComparison.Ordinal)
                .Replace("\U0001F606", " lol ", StringComparison.Ordinal).Replace("\U0001F605", " lol ", StringComparison.Ordinal);
        }

        var builder = new StringBuilder(text.Length + 16);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsLetterOrDigit(c) || c == '*')
            {
                int start = builder.Length;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '*' or '\'' or '\u2019' || IsInnerLeet(text, i)))
                {
                    char w = text[i];
                    if (IsInnerLeet(text, i))
                    {
                        // "k!ll", "p@ss", "$elf"-like obfuscations inside a word: '!' reads as i, '@' as a, '$' as s.
                        builder.Append(w switch { '!' => 'i', '@' => 'a', _ => 's' });
                    }
                    else if (w is not ('\'' or '\u2019'))
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

        string normalized = builder.ToString().TrimEnd();
        // "hed", "shed", "hell", "shell" written for "he'd", "she'll" are words of their own: expanded only before a verb.
        return normalized.Contains("he", StringComparison.Ordinal) ? ContractionRegex().Replace(normalized, m => m.Groups[1].Value + (m.Groups[2].Value == "d" ? " would " : " will ")) : normalized;
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

        if (collapsed.Length > 2 && char.IsLetter(collapsed[0]) && HasInnerOrFinalLeetDigit(collapsed))
        {
            collapsed = LeetRegex().Replace(collapsed, m => m.Value switch { "1" => "i", "3" => "e", "0" => "o", "4" => "a", _ => m.Value });
        }

        return Map.TryGetValue(collapsed, out string? mapped) ? mapped : collapsed;
    }

    /// <summary>'!', '@' or '$' between a letter and a letter or digit ("k!ll", "mys3lf" stays for the digit rule).</summary>
    private static bool IsInnerLeet(string text, int i) =>
        text[i] is '!' or '@' or '$' && i > 0 && char.IsLetter(text[i - 1]) && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);

    /// <summary>A word that starts with a letter and has a 1, 3, 0 or 4 after a letter ("mys3lf", "su1c1de", "d13").</summary>
    private static bool HasInnerOrFinalLeetDigit(string word)
    {
        for (int i = 1; i < word.Length; i++)
        {
            if (word[i] is '1' or '3' or '0' or '4' && char.IsLetter(word[i - 1]))
            {
                return true;
            }
        }

        return false;
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

    [GeneratedRegex(@"\b(he|she)(d|ll) (?=(?:kill|hurt|find|murder|beat|stab|shoot|strangle|choke|end|never|be|come|do|get|make|take|leave|break|burn|throw|probably|actually|literally|just|definitely|rather|go)\b)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex ContractionRegex();

    [GeneratedRegex("[1304]", RegexOptions.CultureInvariant, 250)]
    private static partial Regex LeetRegex();
}
