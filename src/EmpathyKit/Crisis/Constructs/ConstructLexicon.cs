using System.Reflection;

namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// The construct engine's vocabulary: the Suicide Risk Lexicon's 50 clinical constructs (compiled into
/// <c>crisis-constructs.txt</c> by <c>empathykit learn crisis</c>) and EmpathyKit's mechanism classes
/// (<c>crisis-mechanisms.txt</c>: means, acquisition, seeking, preparation, acts in progress, frames, tense, person …),
/// all held in one trie over stems so that a message is matched in one left-to-right pass.
/// </summary>
/// <remarks>
/// Matching walks the trie from every word, at most <see cref="MaxPhraseWords"/> words deep and within one clause, and
/// may pass over one filler word ("really", "just", "fucking") inside a phrase: linear in the message's length.
/// Immutable and thread-safe once built.
/// </remarks>
internal sealed class ConstructLexicon
{
    /// <summary>The longest phrase, in words, that is kept (longer lexicon entries are dropped when loading).</summary>
    public const int MaxPhraseWords = 10;

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "just", "really", "literally", "actually", "so", "fucking", "fuckin", "freaking", "totally", "kinda", "even", "fully", "seriously", "honestly",
    };

    /// <summary>
    /// Classes matched on the words as written, not on stems: an idiom's exact form is what makes it one ("this is
    /// killing me" is an idiom, "kill me" is not; "i am dead" laughing is, "i was dead" is not).
    /// </summary>
    private static readonly HashSet<string> ExactClasses = new(StringComparer.Ordinal) { "idiom", "hyperbole" };

    private static readonly Lazy<ConstructLexicon> DefaultLexicon = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Node _root = new();
    private readonly List<string> _classNames = [];
    private readonly Dictionary<string, int> _classIds = new(StringComparer.Ordinal);

    /// <summary>Gets the lexicon built from the embedded files.</summary>
    public static ConstructLexicon Default => DefaultLexicon.Value;

    /// <summary>Gets the number of phrases held.</summary>
    public int PhraseCount { get; private set; }

    /// <summary>Gets the lexicon's header lines (source, licence, checksum of the compiled constructs).</summary>
    public IReadOnlyList<string> Provenance { get; private set; } = [];

    /// <summary>Gets the name of a class id (a construct such as <c>passive_ideation</c>, or a mechanism such as <c>means</c>).</summary>
    /// <param name="id">The class id.</param>
    /// <returns>Its name.</returns>
    public string ClassName(int id) => _classNames[id];

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount => _classNames.Count;

    /// <summary>Returns the id of a class, or -1 when the lexicon has no such class.</summary>
    /// <param name="name">The class name.</param>
    /// <returns>The id.</returns>
    public int ClassId(string name) => _classIds.TryGetValue(name, out int id) ? id : -1;

    /// <summary>Builds a lexicon from the text of a constructs file and a mechanisms file.</summary>
    /// <param name="constructs">Lines <c>construct&lt;TAB&gt;s|a&lt;TAB&gt;phrase</c> (<c>s</c> specific, <c>a</c> ambiguous in everyday text).</param>
    /// <param name="mechanisms">Lines of <c>@class</c> headers and phrases.</param>
    /// <returns>The lexicon.</returns>
    public static ConstructLexicon Build(TextReader constructs, TextReader mechanisms)
    {
        var lexicon = new ConstructLexicon();
        var provenance = new List<string>();
        string? line;
        while ((line = constructs.ReadLine()) is not null)
        {
            if (line.StartsWith('#'))
            {
                provenance.Add(line.TrimStart('#', ' '));
                continue;
            }

            string[] parts = line.Split('\t');
            if (parts.Length == 3)
            {
                lexicon.Add(parts[0], parts[1] == "s", parts[2]);
            }
        }

        string? current = null;
        while ((line = mechanisms.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (trimmed.StartsWith('@'))
            {
                current = trimmed[1..];
                lexicon.IdOf(current);
                continue;
            }

            if (current is not null)
            {
                // "=tied": matched on the words as written, where a stem would meet another word ("tie dye").
                bool exact = trimmed.StartsWith('=');
                lexicon.Add(current, specific: true, exact ? trimmed[1..] : trimmed, exact);
            }
        }

        lexicon.Provenance = provenance;
        return lexicon;
    }

    /// <summary>Finds every phrase in the tokens, clause by clause.</summary>
    /// <param name="tokens">The message's tokens.</param>
    /// <returns>The hits, ordered by start word.</returns>
    public List<ConstructHit> Match(CrisisTokens tokens)
    {
        var hits = new List<ConstructHit>();
        string[] stems = tokens.Stems;
        for (int start = 0; start < stems.Length; start++)
        {
            Walk(_root, tokens, start, start, depth: 0, skipped: false, hits);
        }

        return hits;
    }

    private void Walk(Node node, CrisisTokens tokens, int start, int position, int depth, bool skipped, List<ConstructHit> hits)
    {
        if (node.Entries is { } entries)
        {
            foreach (Entry e in entries)
            {
                if (e.Surface is null || SameWords(tokens, start, position, e.Surface))
                {
                    hits.Add(new ConstructHit(e.Class, start, position, e.Specific));
                }
            }
        }

        if (depth >= MaxPhraseWords || position >= tokens.Count || tokens.Clause[position] != tokens.Clause[start] || node.Children is null)
        {
            return;
        }

        string stem = tokens.Stems[position];
        if (node.Children.TryGetValue(stem, out Node? next))
        {
            Walk(next, tokens, start, position + 1, depth + 1, skipped, hits);
        }
        else if (stem == "s" && depth > 0 && (node.Children.TryGetValue("be", out next) || node.Children.TryGetValue("have", out next)))
        {
            // "life's pointless", "she's gone": a clitic "'s" after a word is "is" or "has" as often as a possessive.
            Walk(next, tokens, start, position + 1, depth + 1, skipped, hits);
        }
        else if (!skipped && depth > 0 && Fillers.Contains(tokens.Words[position]))
        {
            Walk(node, tokens, start, position + 1, depth + 1, skipped: true, hits);
        }
    }

    private void Add(string className, bool specific, string phrase, bool exact = false)
    {
        exact |= ExactClasses.Contains(className);
        CrisisTokens tokens = CrisisTokens.Parse(phrase);
        if (tokens.Count == 0 || tokens.Count > MaxPhraseWords || tokens.ClauseCount != 1)
        {
            return;
        }

        int id = IdOf(className);
        Node node = _root;
        foreach (string stem in tokens.Stems)
        {
            node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!node.Children.TryGetValue(stem, out Node? child))
            {
                child = new Node();
                node.Children.Add(stem, child);
            }

            node = child;
        }

        node.Entries ??= [];
        foreach (Entry existing in node.Entries)
        {
            if (existing.Class == id && !exact)
            {
                return;
            }
        }

        node.Entries.Add(new Entry(id, specific, exact ? tokens.Words : null));
        PhraseCount++;
    }

    private int IdOf(string className)
    {
        if (!_classIds.TryGetValue(className, out int id))
        {
            id = _classNames.Count;
            _classNames.Add(className);
            _classIds.Add(className, id);
        }

        return id;
    }

    private static ConstructLexicon LoadDefault()
    {
        Assembly assembly = typeof(ConstructLexicon).Assembly;
        using Stream constructs = assembly.GetManifestResourceStream("EmpathyKit.Crisis.crisis-constructs.txt")
            ?? throw new InvalidOperationException("The embedded crisis construct table is missing.");
        using Stream mechanisms = assembly.GetManifestResourceStream("EmpathyKit.Crisis.crisis-mechanisms.txt")
            ?? throw new InvalidOperationException("The embedded crisis mechanism table is missing.");
        using var constructReader = new StreamReader(constructs);
        using var mechanismReader = new StreamReader(mechanisms);
        return Build(constructReader, mechanismReader);
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; set; }

        public List<Entry>? Entries { get; set; }
    }

    private static bool SameWords(CrisisTokens tokens, int start, int end, string[] surface)
    {
        if (end - start != surface.Length)
        {
            return false;
        }

        for (int i = 0; i < surface.Length; i++)
        {
            if (!string.Equals(tokens.Words[start + i], surface[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct Entry(int Class, bool Specific, string[]? Surface);
}

/// <summary>A phrase of a class found in a message.</summary>
/// <param name="Class">The class id (<see cref="ConstructLexicon.ClassName"/>).</param>
/// <param name="Start">The first word.</param>
/// <param name="End">One past the last word.</param>
/// <param name="Specific">Whether the phrase is specific (rare in everyday text); ambiguous ones only count in composition.</param>
internal readonly record struct ConstructHit(int Class, int Start, int End, bool Specific);
