namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// The risk model's features, hashed into <see cref="CrisisRiskModel.Dimensions"/> slots: stems, pairs of stems,
/// character 4-grams inside words (misspellings and slang), the constructs, rung and signals the rules found, and the
/// conversation's context (earlier risk, distress, a stated age). One implementation for training and for run time.
/// A turn's features are a set: each counts once however often it occurs.
/// </summary>
internal static class CrisisFeatures
{
    private const uint Mask = CrisisRiskModel.Dimensions - 1;

    /// <summary>Returns the context-free features of a turn.</summary>
    /// <param name="tokens">The turn's tokens.</param>
    /// <param name="analysis">What the rules found in it.</param>
    /// <param name="hits">The lexicon's hits in the turn, ordered by start word.</param>
    /// <param name="lexicon">The lexicon (for class names).</param>
    /// <returns>The hashed indices.</returns>
    public static int[] OfTurn(CrisisTokens tokens, TurnAnalysis analysis, List<ConstructHit> hits, ConstructLexicon lexicon)
    {
        var features = new List<int>(tokens.Count * 8 + 16);
        string[] stems = tokens.Stems;
        for (int i = 0; i < stems.Length; i++)
        {
            features.Add(Hash("w", stems[i]));
            if (i + 1 < stems.Length && tokens.Clause[i + 1] == tokens.Clause[i])
            {
                features.Add(Hash("b", stems[i], stems[i + 1]));
            }

            string word = tokens.Words[i];
            if (word.Length >= 4)
            {
                for (int j = 0; j + 4 <= word.Length; j++)
                {
                    features.Add(Hash("c", word.AsSpan(j, 4)));
                }
            }
        }

        // The classes found (constructs, ambiguous ones too, and mechanism classes: means, time, at hand, seeking…) and
        // each pair of classes in one clause and in the message: the word classes generalise where the words were never
        // seen, and a pair ("seek" with "height", "means" with "at_hand") is a composition the rules may not spell out.
        AddClassFeatures(features, tokens, hits, lexicon);

        foreach (string construct in analysis.Constructs)
        {
            features.Add(Hash("k", construct));
        }

        foreach (string signal in analysis.Signals)
        {
            features.Add(Hash("s", signal));
        }

        features.Add(Hash("r", analysis.Rung.ToString()));
        features.Add(Hash("l", analysis.Level.ToWireName()));
        if (tokens.ClauseIsQuestion.Contains(true))
        {
            features.Add(Hash("q", "question"));
        }

        // Each feature counts once, present or not: a word repeated twenty times is no more evidence than once, so a long
        // or repetitive message cannot add its way past a threshold.
        features.Sort();
        int distinct = 0;
        for (int i = 0; i < features.Count; i++)
        {
            if (distinct == 0 || features[i] != features[distinct - 1])
            {
                features[distinct++] = features[i];
            }
        }

        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(features)[..distinct].ToArray();
    }

    /// <summary>At most this many distinct classes of a message take part in pairs (bounds the pairs at 120).</summary>
    private const int MaxPairedClasses = 16;

    private static void AddClassFeatures(List<int> features, CrisisTokens tokens, List<ConstructHit> hits, ConstructLexicon lexicon)
    {
        if (hits.Count == 0)
        {
            return;
        }

        Span<int> seen = stackalloc int[MaxPairedClasses];
        int distinct = 0;
        var clauseClasses = new List<int>(8);
        int clause = -1;
        foreach (ConstructHit hit in hits)
        {
            int c = tokens.Clause[hit.Start];
            if (c != clause)
            {
                AddPairs(features, clauseClasses, lexicon, "p");
                clauseClasses.Clear();
                clause = c;
            }

            if (!clauseClasses.Contains(hit.Class) && clauseClasses.Count < MaxPairedClasses)
            {
                clauseClasses.Add(hit.Class);
            }

            if (seen[..distinct].IndexOf(hit.Class) < 0 && distinct < MaxPairedClasses)
            {
                seen[distinct++] = hit.Class;
                features.Add(Hash(hit.Specific ? "m" : "a", lexicon.ClassName(hit.Class)));
            }
        }

        AddPairs(features, clauseClasses, lexicon, "p");
        clauseClasses.Clear();
        foreach (int c in seen[..distinct])
        {
            clauseClasses.Add(c);
        }

        AddPairs(features, clauseClasses, lexicon, "P");
    }

    private static void AddPairs(List<int> features, List<int> classes, ConstructLexicon lexicon, string kind)
    {
        for (int i = 0; i < classes.Count; i++)
        {
            for (int j = i + 1; j < classes.Count; j++)
            {
                string a = lexicon.ClassName(classes[i]);
                string b = lexicon.ClassName(classes[j]);
                features.Add(string.CompareOrdinal(a, b) < 0 ? Hash(kind, a, b) : Hash(kind, b, a));
            }
        }
    }

    /// <summary>Appends the conversation's context to a turn's features.</summary>
    /// <param name="turn">The turn's features.</param>
    /// <param name="earlierMax">The highest level among earlier turns.</param>
    /// <param name="earlierDistress">Whether an earlier turn showed distress or risk.</param>
    /// <param name="minor">Whether an age under 18 was stated.</param>
    /// <returns>The full feature set.</returns>
    public static int[] WithContext(int[] turn, RiskLevel earlierMax, bool earlierDistress, bool minor)
    {
        int extra = 1 + (earlierDistress ? 1 : 0) + (minor ? 1 : 0);
        int[] all = new int[turn.Length + extra];
        turn.CopyTo(all, 0);
        int k = turn.Length;
        all[k++] = Hash("x", earlierMax.ToWireName());
        if (earlierDistress)
        {
            all[k++] = Hash("x", "distress");
        }

        if (minor)
        {
            all[k] = Hash("x", "minor");
        }

        return all;
    }

    private static int Hash(string kind, ReadOnlySpan<char> a, ReadOnlySpan<char> b = default)
    {
        // FNV-1a over the kind, a separator and the text: stable across processes and platforms (string hashing is not).
        uint h = 2166136261;
        foreach (char ch in kind)
        {
            h = (h ^ ch) * 16777619;
        }

        h = (h ^ '|') * 16777619;
        foreach (char ch in a)
        {
            h = (h ^ ch) * 16777619;
        }

        if (!b.IsEmpty)
        {
            h = (h ^ ' ') * 16777619;
            foreach (char ch in b)
            {
                h = (h ^ ch) * 16777619;
            }
        }

        return (int)(h & Mask);
    }
}
