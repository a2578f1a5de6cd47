using System.Collections.Frozen;

namespace EmpathyKit.Pii.Gazetteers;

/// <summary>
/// The hand-written word lists of the PERSON recognizer (<c>person-*.txt</c>, beside the generated gazetteers, each
/// described in its header): words that decide whether a capitalised word is a person, a place, an organisation or
/// a thing. Loaded once, on first use.
/// </summary>
internal sealed class PersonWordLists
{
    private static readonly Lazy<PersonWordLists> Instance = new(() => new PersonWordLists(), LazyThreadSafetyMode.ExecutionAndPublication);

    private PersonWordLists()
    {
        CueOnly = GazetteerFile.Read("person-cue-only");
        NotNames = GazetteerFile.Read("person-not-names");
        Medications = GazetteerFile.Read("person-medications");
        Countries = GazetteerFile.Read("person-countries");
        PlacePrefixes = GazetteerFile.Read("person-place-prefixes");
        OrganisationWords = GazetteerFile.Read("person-organisation-words");
        Locatives = GazetteerFile.Read("person-locatives");
        PersonPredicates = GazetteerFile.Read("person-predicates");
        Determiners = GazetteerFile.Read("person-determiners");
        MotionVerbs = GazetteerFile.Read("person-motion-verbs");
    }

    public static PersonWordLists Default => Instance.Value;

    /// <summary>Gets names that are virtues, seasons, months, days or nature words: never a name without a cue.</summary>
    public FrozenSet<string> CueOnly { get; }

    /// <summary>Gets capitalised words that start sentences or follow cues but are never names.</summary>
    public FrozenSet<string> NotNames { get; }

    /// <summary>Gets psychiatric and common medications (generic and brand names), which the model must see.</summary>
    public FrozenSet<string> Medications { get; }

    /// <summary>Gets countries and territories (English names): places, not people.</summary>
    public FrozenSet<string> Countries { get; }

    /// <summary>Gets words that start place names: the capitalised word after them is a place ("San Francisco").</summary>
    public FrozenSet<string> PlacePrefixes { get; }

    /// <summary>Gets words that make the capitalised words before them an organisation or a place, not a person.</summary>
    public FrozenSet<string> OrganisationWords { get; }

    /// <summary>Gets prepositions after which a lone capitalised name is more likely a place ("in France").</summary>
    public FrozenSet<string> Locatives { get; }

    /// <summary>Gets verbs and predicates that follow a person at the start of a sentence.</summary>
    public FrozenSet<string> PersonPredicates { get; }

    /// <summary>Gets determiners, after which a name that is also a word is a thing ("a Shadow").</summary>
    public FrozenSet<string> Determiners { get; }

    /// <summary>Gets verbs and nouns of motion, after which "to" introduces a place ("travelling to Victoria").</summary>
    public FrozenSet<string> MotionVerbs { get; }
}
