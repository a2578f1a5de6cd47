namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// A message as the construct engine reads it: normalised words (<see cref="CrisisTextNormalizer"/>: lower case,
/// contractions expanded, slang and obfuscations mapped), their stems (<see cref="CrisisStemmer"/>), and the clause each
/// word belongs to. Clauses end at sentence punctuation and before "but", "however", "although" and "though"; a run-on
/// clause is broken before a conjunction after <see cref="SoftClauseWords"/> words and at <see cref="HardClauseWords"/>
/// words in any case; a clause that ends with "?" is a question.
/// </summary>
/// <remarks>Built in one pass, linear in the text's length.</remarks>
internal sealed class CrisisTokens
{
    private static readonly HashSet<string> ClauseBreakWords = new(StringComparer.Ordinal) { "but", "however", "although", "though", "except" };

    // A run-on clause (voice-to-text, pasted text, repetition) is broken before a conjunction once it has
    // SoftClauseWords words, and unconditionally at HardClauseWords, so that the rules' work per clause stays bounded
    // and the whole message stays linear in its length.
    private static readonly HashSet<string> RunOnBreakWords = new(StringComparer.Ordinal) { "and", "so", "then", "because", "cause", "or", "when", "while", "if", "cos" };

    /// <summary>The words after which a run-on clause is broken before a conjunction.</summary>
    public const int SoftClauseWords = 40;

    /// <summary>The most words a clause holds.</summary>
    public const int HardClauseWords = 64;

    private CrisisTokens(string[] words, string[] stems, int[] clause, bool[] question)
    {
        Words = words;
        Stems = stems;
        Clause = clause;
        ClauseIsQuestion = question;
    }

    /// <summary>Gets an empty text.</summary>
    public static CrisisTokens Empty { get; } = new([], [], [], []);

    /// <summary>Gets the normalised words.</summary>
    public string[] Words { get; }

    /// <summary>Gets the stem of each word.</summary>
    public string[] Stems { get; }

    /// <summary>Gets the clause index of each word.</summary>
    public int[] Clause { get; }

    /// <summary>Gets, per clause, whether it ends with a question mark.</summary>
    public bool[] ClauseIsQuestion { get; }

    /// <summary>Gets the number of words.</summary>
    public int Count => Words.Length;

    /// <summary>Gets the number of clauses.</summary>
    public int ClauseCount => ClauseIsQuestion.Length;

    /// <summary>
    /// The words of some clauses only, in order, as one text: clause numbers are renumbered and each kept clause stays
    /// a clause of its own. <paramref name="map"/> gives each original word's index in the result, or -1.
    /// </summary>
    /// <param name="keep">Per clause, whether it is kept.</param>
    /// <param name="map">The original word index → kept word index map.</param>
    /// <returns>The kept clauses.</returns>
    public CrisisTokens Select(bool[] keep, out int[] map)
    {
        map = new int[Count];
        var words = new List<string>();
        var stems = new List<string>();
        var clauses = new List<int>();
        var questions = new List<bool>();
        int[] renumbered = new int[ClauseCount];
        for (int c = 0; c < ClauseCount; c++)
        {
            renumbered[c] = keep[c] ? questions.Count : -1;
            if (keep[c])
            {
                questions.Add(ClauseIsQuestion[c]);
            }
        }

        for (int i = 0; i < Count; i++)
        {
            int c = Clause[i];
            if (renumbered[c] < 0)
            {
                map[i] = -1;
                continue;
            }

            map[i] = words.Count;
            words.Add(Words[i]);
            stems.Add(Stems[i]);
            clauses.Add(renumbered[c]);
        }

        return new CrisisTokens([.. words], [.. stems], [.. clauses], [.. questions]);
    }

    /// <summary>Tokenises a raw message.</summary>
    /// <param name="text">The raw text.</param>
    /// <returns>The tokens.</returns>
    public static CrisisTokens Parse(string text)
    {
        string normalized = CrisisTextNormalizer.Normalize(text);
        if (normalized.Length == 0)
        {
            return Empty;
        }

        var words = new List<string>(normalized.Length / 4);
        var clauses = new List<int>(normalized.Length / 4);
        var questions = new List<bool>();
        int clause = 0;
        int clauseWords = 0;
        bool clauseHasWords = false;
        foreach (Range range in normalized.AsSpan().Split(' '))
        {
            ReadOnlySpan<char> piece = normalized.AsSpan(range);
            if (piece.IsEmpty)
            {
                continue;
            }

            char last = piece[^1];
            bool punctuation = last is '.' or '!' or '?' or ';' or ',' or ':';
            ReadOnlySpan<char> word = punctuation ? piece[..^1] : piece;
            if (!word.IsEmpty)
            {
                string w = word.ToString();
                if (clauseHasWords && (ClauseBreakWords.Contains(w) || clauseWords >= HardClauseWords || (clauseWords >= SoftClauseWords && RunOnBreakWords.Contains(w))))
                {
                    questions.Add(false);
                    clause++;
                    clauseHasWords = false;
                    clauseWords = 0;
                }

                if (w == "self" && words.Count > 0 && words[^1] == "my" && clauses[^1] == clause)
                {
                    words[^1] = "myself";
                }
                else
                {
                    words.Add(w);
                    clauses.Add(clause);
                    clauseHasWords = true;
                    clauseWords++;
                }
            }

            if (punctuation && last != ',' && clauseHasWords)
            {
                questions.Add(last == '?');
                clause++;
                clauseHasWords = false;
                clauseWords = 0;
            }
        }

        if (clauseHasWords)
        {
            questions.Add(false);
        }

        string[] wordArray = [.. words];
        string[] stems = new string[wordArray.Length];
        for (int i = 0; i < wordArray.Length; i++)
        {
            stems[i] = CrisisStemmer.Stem(wordArray[i]);
        }

        return new CrisisTokens(wordArray, stems, [.. clauses], [.. questions]);
    }
}
