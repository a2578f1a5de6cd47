using System.Collections.Frozen;
using System.Text.RegularExpressions;
using EmpathyKit.Pii.Gazetteers;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// People's names without an ML model. Cues first: self-introductions ("my name is", "call me", "I'm"), relations ("my
/// sister X", "my therapist Dr. X") and titles (Dr, Mr, Mrs, Ms, Prof …, kept in the span). Then capitalised tokens in
/// the first-name gazetteer, extended over a following surname, middle initial or capitalised family name. Names that
/// are also English words ("Hope", "Grace", "Will", "Summer") count only with a cue or a known surname beside them; a
/// lone first name at the start of a sentence scores lower than one mid-sentence. The word lists it decides with are
/// embedded data files beside the gazetteers (<see cref="PersonWordLists"/>).
/// </summary>
internal sealed partial class PersonRecognizer : IPiiRecognizer
{
    // The word lists are data files (Pii/Gazetteers/person-*.txt), loaded once; what each holds is in its header and
    // on the matching property of PersonWordLists.
    private static readonly FrozenSet<string> CueOnly = PersonWordLists.Default.CueOnly;
    private static readonly FrozenSet<string> NotNames = PersonWordLists.Default.NotNames;
    private static readonly FrozenSet<string> Medications = PersonWordLists.Default.Medications;
    private static readonly FrozenSet<string> Countries = PersonWordLists.Default.Countries;
    private static readonly FrozenSet<string> PlacePrefixes = PersonWordLists.Default.PlacePrefixes;
    private static readonly FrozenSet<string> OrganisationWords = PersonWordLists.Default.OrganisationWords;
    private static readonly FrozenSet<string> Locatives = PersonWordLists.Default.Locatives;
    private static readonly FrozenSet<string> PersonPredicates = PersonWordLists.Default.PersonPredicates;
    private static readonly FrozenSet<string> Determiners = PersonWordLists.Default.Determiners;
    private static readonly FrozenSet<string> MotionVerbs = PersonWordLists.Default.MotionVerbs;

    private readonly NameGazetteer _names;

    public PersonRecognizer()
        : this(NameGazetteer.Default)
    {
    }

    internal PersonRecognizer(NameGazetteer names)
    {
        _names = names;
    }

    public string Name => "person";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        List<Token> tokens = Tokenize(text.Text, _names);
        if (tokens.Count == 0)
        {
            return;
        }

        var covered = new bool[tokens.Count];
        foreach (Match m in TitleRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.9, "person_title", m.Groups["title"].Value.ToLowerInvariant(), requireFirstName: false, includeCue: true);
        }

        foreach (Match m in StrongIntroRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.9, "person_introduction", "name", requireFirstName: false, includeCue: false);
        }

        foreach (Match m in WeakIntroRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.85, "person_introduction", "i'm", requireFirstName: true, includeCue: false);
        }

        foreach (Match m in GreetingRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.75, "person_greeting", m.Groups["greeting"].Value.ToLowerInvariant(), requireFirstName: false, includeCue: false);
        }

        foreach (Match m in AttributionRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.7, "person_attribution", m.Groups["verb"].Value.ToLowerInvariant(), requireFirstName: false, includeCue: false);
        }

        foreach (Match m in RelationRegex().Matches(text.Text))
        {
            AddCued(text, tokens, covered, results, m.Index, m.Index + m.Length, 0.85, "person_relation", m.Groups["relation"].Value.ToLowerInvariant(), requireFirstName: false, includeCue: false);
        }

        foreach (Match m in SpeakerRegex().Matches(text.Text))
        {
            int i = PiiSpans.FirstStartingAt(tokens, m.Index, static t => t.Start);
            if (i < tokens.Count && tokens[i].Start == m.Index && !covered[i] && tokens[i].Capitalised && _names.FirstNames.Contains(tokens[i].Lower) && !IsExcluded(tokens[i].Lower))
            {
                covered[i] = true;
                results.Add(new PiiEntity(PiiTypes.Person, tokens[i].Start, tokens[i].End, 0.7, "person_speaker_label"));
            }
        }

        for (int i = 0; i < tokens.Count; i++)
        {
            Token t = tokens[i];
            if (covered[i] || !t.Capitalised || IsExcluded(t.Lower) || CueOnly.Contains(t.Lower))
            {
                continue;
            }

            bool firstName = _names.FirstNames.Contains(t.Lower);
            int last = Extend(tokens, i, covered);
            bool hasInitial = last > i && tokens.Skip(i + 1).Take(last - i).Any(x => x.IsInitial);
            double score = 0;
            string rule = "person_gazetteer_first_name";
            if (last > i)
            {
                bool knownSurname = _names.Surnames.Contains(tokens[last].Lower);
                rule = "person_gazetteer_full_name";
                if (hasInitial)
                {
                    // "Ravil G Yefimov": capitalised words around an initial are a name.
                    score = 0.8;
                }
                else if (firstName || (knownSurname && !t.SentenceInitial))
                {
                    score = firstName && knownSurname ? 0.85 : 0.75;
                }
            }
            else if (firstName)
            {
                bool wordName = _names.WordNames.Contains(t.Lower);
                score = t.SentenceInitial ? (wordName ? 0 : 0.6) : (wordName ? 0.6 : 0.75);
            }

            // Mid-sentence the evidence must include a gazetteer surname or first name: unknown capitalised words there are
            // as often brands ("Spotify is down") as people.
            bool inGazetteer = _names.Surnames.Contains(t.Lower) || firstName;
            bool unknownPair = last > i && IsUnknownWord(t) && IsUnknownWord(tokens[last]) && !hasInitial;
            if (score == 0 && IsUnknownWord(t) && (unknownPair || ((t.SentenceInitial || inGazetteer) && StartsPersonClause(text.Text, tokens, last))))
            {
                // "Mehrudin shouted at …", "that McDowell was influenced …", "Wisława Szczepańska's …": an unknown
                // capitalised word before a person predicate, or two unknown capitalised words together, is a name.
                score = 0.65;
                rule = "person_sentence_subject";
            }

            if (score > 0 && !LooksLikeOtherProperNoun(text.Text, tokens, i, last))
            {
                Mark(covered, i, last);
                results.Add(new PiiEntity(PiiTypes.Person, t.Start, tokens[last].End, score, rule));
                i = last;
            }
        }

        AddCoordinatedNames(text.Text, tokens, covered, results);
    }

    /// <summary>Whether a capitalised token is neither a common English word nor a function word.</summary>
    private static bool IsExcluded(string lower) => NotNames.Contains(lower) || Medications.Contains(lower);

    private bool IsUnknownWord(Token t) =>
        t.Capitalised && t.Lower.Length >= 3 && !_names.CommonWords.Contains(t.Lower) && !IsExcluded(t.Lower) && !Countries.Contains(t.Lower)
        && !CueOnly.Contains(t.Lower) && !OrganisationWords.Contains(t.Lower);

    /// <summary>
    /// Whether the words after a sentence-opening candidate make it a person: a person predicate ("is from", "lives",
    /// "shouted", "said" …), a second unknown capitalised word (a full name), "and" with another capitalised word
    /// ("Usamov and Bowers were …"), or a vocative comma or speaker colon.
    /// </summary>
    private bool StartsPersonClause(string text, List<Token> tokens, int last)
    {
        int end = tokens[last].End;
        if (end < text.Length && text[end] is ':' or ',' && end + 1 < text.Length && text[end + 1] == ' ')
        {
            return true;
        }

        if (last + 1 >= tokens.Count || tokens[last + 1].Start - end > 2)
        {
            return false;
        }

        Token next = tokens[last + 1];
        if (PersonPredicates.Contains(next.Lower))
        {
            return true;
        }

        if (next.Lower == "and" && last + 2 < tokens.Count && tokens[last + 2].Capitalised && (tokens[last + 2].Lower == "i" || !IsExcluded(tokens[last + 2].Lower)))
        {
            return true;
        }

        return IsUnknownWord(next) && !next.SentenceInitial && last + 2 < tokens.Count
            && PersonPredicates.Contains(tokens[last + 2].Lower);
    }

    /// <summary>
    /// Whether a gazetteer candidate is part of an organisation ("Russell Investments"), a street ("Joaquin Suarez 2906"),
    /// a title-case phrase ("Killed My Baby"), or a place after a locative preposition ("in France").
    /// </summary>
    private bool LooksLikeOtherProperNoun(string text, List<Token> tokens, int first, int last)
    {
        if (last + 1 < tokens.Count && tokens[last + 1].Capitalised && OrganisationWords.Contains(tokens[last + 1].Lower)
            && tokens[last + 1].Start - tokens[last].End <= 2)
        {
            return true;
        }

        int k = tokens[last].End;
        while (k < text.Length && text[k] is ' ' or '\t')
        {
            k++;
        }

        if (k < text.Length && char.IsAsciiDigit(text[k]) && k > tokens[last].End)
        {
            return true;
        }

        if (first > 0 && PlacePrefixes.Contains(tokens[first - 1].Lower) && tokens[first - 1].Capitalised)
        {
            return true;
        }

        if (first == last)
        {
            // A lone country name found without a cue is a place ("France was fun"); with a surname it is a name
            // ("Jordan Reyes"), and after a cue ("my friend Jordan") the cue decides.
            if (Countries.Contains(tokens[first].Lower))
            {
                return true;
            }

            bool wordName = _names.WordNames.Contains(tokens[first].Lower);
            Token? previous = first > 0 ? tokens[first - 1] : null;
            bool titleCase = previous is { Capitalised: true } p && !tokens[first].SentenceInitial
                && (IsExcluded(p.Lower) || (!_names.FirstNames.Contains(p.Lower) && !_names.Surnames.Contains(p.Lower)));

            // A word-name after a determiner ("a Shadow", "the Baby") or inside a title-case phrase is a thing.
            if (wordName && (titleCase || (previous is { } d && Determiners.Contains(d.Lower))))
            {
                return true;
            }

            if (first > 0 && Locatives.Contains(tokens[first - 1].Lower) && tokens[first].Start - tokens[first - 1].End == 1)
            {
                return true;
            }

            // "travelling to France", "moved to Victoria": "to" after a verb of motion introduces a place.
            if (first > 1 && tokens[first - 1].Lower == "to" && MotionVerbs.Contains(tokens[first - 2].Lower))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Names listed with a found name ("Kónya, Becker and Vasquez", "Marrero and Murphy"): a capitalised word joined
    /// to a person by ", ", " and " or " &amp; " is a person too.
    /// </summary>
    private void AddCoordinatedNames(string text, List<Token> tokens, bool[] covered, ICollection<PiiEntity> results)
    {
        bool changed = true;
        for (int round = 0; changed && round < 4; round++)
        {
            changed = false;
            for (int i = 0; i < tokens.Count; i++)
            {
                if (covered[i] || !tokens[i].Capitalised || IsExcluded(tokens[i].Lower) || CueOnly.Contains(tokens[i].Lower)
                    || OrganisationWords.Contains(tokens[i].Lower) || (tokens[i].SentenceInitial && !_names.Surnames.Contains(tokens[i].Lower)))
                {
                    continue;
                }

                int before = i > 1 && tokens[i - 1].Lower is "and" or "or" ? i - 2 : i - 1;
                int after = i + 2 < tokens.Count && tokens[i + 1].Lower is "and" or "or" ? i + 2 : i + 1;
                bool joinedBefore = before >= 0 && covered[before] && IsCoordination(text, tokens[before].End, tokens[i].Start);
                bool joinedAfter = after < tokens.Count && covered[after] && IsCoordination(text, tokens[i].End, tokens[after].Start);
                if (joinedBefore || joinedAfter)
                {
                    covered[i] = true;
                    changed = true;
                    results.Add(new PiiEntity(PiiTypes.Person, tokens[i].Start, tokens[i].End, 0.65, "person_listed_with_name"));
                }
            }
        }
    }

    private static bool IsCoordination(string text, int from, int to)
    {
        ReadOnlySpan<char> between = text.AsSpan(from, to - from).Trim();
        return between is "," or "and" or "&" or ", and" or "or";
    }

    private void AddCued(PiiText text, List<Token> tokens, bool[] covered, ICollection<PiiEntity> results, int cueStart, int cueEnd, double score, string rule, string context, bool requireFirstName, bool includeCue)
    {
        int i = PiiSpans.FirstStartingAt(tokens, cueEnd, static t => t.Start);
        if (i >= tokens.Count || covered[i] || !OnlySpaceOrComma(text.Text, cueEnd, tokens[i].Start))
        {
            return;
        }

        Token first = tokens[i];
        bool known = _names.FirstNames.Contains(first.Lower);

        // After a strong cue ("my name is", "call me"), a lower-case word counts too unless it is a common word.
        bool lowerAllowed = rule is "person_introduction" && !requireFirstName
            && (known || (!_names.CommonWords.Contains(first.Lower) && first.Lower.Length >= 3));
        bool acceptable = first.Capitalised ? !IsExcluded(first.Lower) : lowerAllowed && !IsExcluded(first.Lower);
        if (rule == "person_attribution" && (CueOnly.Contains(first.Lower) || OrganisationWords.Contains(first.Lower)))
        {
            return;
        }
        int last = first.Capitalised ? Extend(tokens, i, covered) : i;

        // A weak cue ("I'm") needs a known first name, or a full name of two or more capitalised words.
        if (!acceptable || (requireFirstName && !known && last == i))
        {
            return;
        }

        Mark(covered, i, last);
        int start = includeCue ? cueStart : first.Start;
        results.Add(new PiiEntity(PiiTypes.Person, start, tokens[last].End, score, rule, context));
    }

    /// <summary>Extends a name over a middle initial and up to two capitalised family-name tokens.</summary>
    private static int Extend(List<Token> tokens, int i, bool[] covered)
    {
        int last = i;
        for (int k = i + 1; k < tokens.Count && k <= i + 3; k++)
        {
            Token next = tokens[k];
            Token previous = tokens[k - 1];
            int gap = next.Start - previous.End;

            // One space between name parts; after an initial, its dot and a space ("D. Yefremova"), which is no sentence end.
            bool joined = gap == 1 || (previous.IsInitial && gap == 2);
            if (covered[k] || !next.Capitalised || !joined || (next.SentenceInitial && !previous.IsInitial) || IsExcluded(next.Lower)
                || OrganisationWords.Contains(next.Lower))
            {
                break;
            }

            if (next.IsInitial)
            {
                continue;
            }

            last = k;
        }

        return last;
    }

    private static void Mark(bool[] covered, int from, int to)
    {
        for (int k = from; k <= to; k++)
        {
            covered[k] = true;
        }
    }

    private static bool OnlySpaceOrComma(string text, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            if (text[k] is not (' ' or ',' or '\t'))
            {
                return false;
            }
        }

        return to - from <= 3;
    }

    private static List<Token> Tokenize(string text, NameGazetteer names)
    {
        var tokens = new List<Token>();
        int upper = 0;
        int lower = 0;
        foreach (char c in text)
        {
            upper += char.IsUpper(c) ? 1 : 0;
            lower += char.IsLower(c) ? 1 : 0;
        }

        // In a message written in capitals, all-caps words may be names; elsewhere they are acronyms ("IBAN", "NHS").
        bool shouting = upper >= 12 && upper > 3 * lower;

        // In a message written without capitals, gazetteer first names that are not also words count as capitalised.
        bool noCapitals = upper == 0 && lower >= 10;
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || (text[i] is '-' or '\'' or '\u2019' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            int end = i;
            if (end - start > 2 && text[end - 1] is 's' or 'S' && text[end - 2] is '\'' or '\u2019')
            {
                end -= 2;
            }

            string word = text[start..end];
            string lowerWord = word.ToLowerInvariant();
            bool capitalised = (char.IsUpper(word[0]) && (word.Length == 1 || shouting || word.Skip(1).Any(char.IsLower)))
                || (noCapitals && word.Length >= 3 && names.FirstNames.Contains(lowerWord) && !names.WordNames.Contains(lowerWord) && !IsExcluded(lowerWord) && !CueOnly.Contains(lowerWord));
            bool initial = word.Length == 1 && char.IsUpper(word[0]);
            tokens.Add(new Token(start, end, lowerWord, capitalised, IsSentenceInitial(text, start), initial));
        }

        return tokens;
    }

    private static bool IsSentenceInitial(string text, int start)
    {
        for (int k = start - 1; k >= 0; k--)
        {
            char c = text[k];
            if (c is ' ' or '\t' or '"' or '\'' or '(' or '\u201C' or '*' or '-')
            {
                continue;
            }

            return c is '.' or '!' or '?' or ':' or ';' or '\n' or '\r';
        }

        return true;
    }

    [GeneratedRegex(@"\b(?<title>Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Fr|Father|Rev|Reverend|Sir|Dame|Nurse|Coach|Pastor|Rabbi|Imam)(?:\.|(?=\s))\s*|\b(?<title>(?i:mr|mrs|ms|mx|dr|prof))\.\s*", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex TitleRegex();

    [GeneratedRegex(@"\b(?:my name is|my name's|my names|name is|calls? me|they call me|named|called|my name:|name:|(?:(?:last|first|family|sur|full|your|my|the|his|her|their|partner's|account|maiden) ?)?name(?: is|:|\?| was)?|surname(?: is|:|\?)?)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex StrongIntroRegex();

    [GeneratedRegex(@"(?:^|(?<=[.!?\n]\s*))(?<greeting>hi|hello|hey|dear|thanks|thank you|bye|goodbye|morning|evening)\s+(?=\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+)?\s*[,!.]|\p{Lu}[\p{L}'’-]+\s*$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex GreetingRegex();

    [GeneratedRegex(@"\b(?<verb>says|said|asks|asked|writes|wrote|explained|explains|adds|added|replied|according to|directed by|written by|produced by|performed by|sung by|painted by|starring|featuring|feat\.|ex-\w+)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex AttributionRegex();

    [GeneratedRegex(@"\b(?:i'm|i’m|i am|im|this is|it's|it’s)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex WeakIntroRegex();

    [GeneratedRegex(@"\bmy\s+(?:(?:best|little|big|older|younger|late|new|old|step|twin|ex)[\s-]?)?(?<relation>friend|sister|brother|sis|bro|mom|mum|mother|dad|father|stepmom|stepdad|stepmum|girlfriend|boyfriend|partner|husband|wife|fianc[eé]e?|ex|son|daughter|kid|child|baby|cousin|aunt|auntie|uncle|nephew|niece|grandma|grandmother|grandpa|grandfather|nan|nana|gran|granny|grandad|therapist|counsell?or|psychiatrist|psychologist|doctor|gp|nurse|social worker|case worker|caseworker|key worker|supervisor|boss|manager|teacher|tutor|coach|mentor|colleague|co-?worker|classmate|roommate|flatmate|housemate|neighbou?r|landlord|landlady|pastor|priest|vicar|rabbi|imam|sponsor|bf|gf)s?\b,?\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex RelationRegex();

    [GeneratedRegex(@"(?<=^|[.!?]\s+|\n\s*)\p{Lu}[\p{L}'’-]+(?=:\s)", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex SpeakerRegex();

    private readonly record struct Token(int Start, int End, string Lower, bool Capitalised, bool SentenceInitial, bool IsInitial);
}
