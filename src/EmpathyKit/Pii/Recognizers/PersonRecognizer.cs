using System.Collections.Frozen;
using System.Text.RegularExpressions;
using EmpathyKit.Pii.Gazetteers;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// People's names without an ML model. Cues first: self-introductions ("my name is", "call me", "I'm"), relations ("my
/// sister X", "my therapist Dr. X") and titles (Dr, Mr, Mrs, Ms, Prof …, kept in the span). Then capitalised tokens in
/// the first-name gazetteer, extended over a following surname, middle initial or capitalised family name. Names that
/// are also English words ("Hope", "Grace", "Will", "Summer") count only with a cue or a known surname beside them; a
/// lone first name at the start of a sentence scores lower than one mid-sentence.
/// </summary>
internal sealed partial class PersonRecognizer : IPiiRecognizer
{
    /// <summary>Names that are virtues, seasons, months, days or nature words: never a name without a cue.</summary>
    private static readonly FrozenSet<string> CueOnly = new[]
    {
        "hope", "grace", "faith", "joy", "charity", "patience", "prudence", "mercy", "harmony", "melody", "destiny", "serenity",
        "trinity", "unity", "liberty", "justice", "bliss", "happy", "precious", "miracle", "honor", "honour", "glory", "felicity",
        "summer", "autumn", "winter", "spring", "dawn", "eve", "star", "sunny", "river", "rain", "sky", "storm", "ocean", "angel",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter",
        "will", "mark", "bill", "pat", "sue", "don", "art", "guy", "max", "frank", "grant", "hunter", "chase", "lane", "dean",
        "rose", "lily", "daisy", "ivy", "holly", "hazel", "olive", "violet", "iris", "poppy", "heather", "fern", "willow", "ruby",
        "pearl", "amber", "jade", "crystal", "coral", "opal", "ginger", "sage", "atlas", "echo", "phoenix", "god", "lord",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Capitalised words that start sentences or follow cues but are never names.</summary>
    private static readonly FrozenSet<string> NotNames = new[]
    {
        "i", "im", "i'm", "i’m", "i'd", "i’d", "i've", "i’ve", "i'll", "i’ll", "the", "a", "an", "and", "but", "or", "so", "my", "your", "our", "his", "her", "their", "he", "she", "they",
        "we", "it", "its", "this", "that", "these", "those", "not", "just", "very", "really", "here", "there", "sorry", "fine",
        "okay", "ok", "good", "great", "happy", "sad", "tired", "feeling", "going", "trying", "still", "also", "always", "never",
        "back", "home", "done", "sure", "glad", "hi", "hello", "hey", "thanks", "thank", "yes", "no", "maybe", "well", "now",
        "then", "when", "what", "who", "why", "how", "where", "if", "because", "since", "after", "before", "today", "tonight",
        "tomorrow", "yesterday", "please", "dear", "mom", "mum", "dad", "english", "british", "american", "bot", "user", "ai",
        "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "close", "way", "court", "place", "square", "park",
        "hill", "grove", "crescent", "terrace", "boulevard", "blvd", "highway", "suite", "apt", "flat", "unit", "city", "county",
        "university", "college", "school", "hospital", "clinic", "inc", "ltd", "llc", "corp", "company",
        "san", "santa", "santo", "new", "los", "las", "saint", "port", "fort", "mount", "lake", "north", "south", "east", "west",
        "united", "royal", "national", "central", "great", "little", "upper", "lower", "old", "tv", "radio", "weekly", "daily",
        "name", "address", "phone", "date", "email", "title", "subject", "fax", "mobile", "tel", "box", "po", "can", "must",
        "should", "would", "could", "shall", "might", "dear", "re", "fwd", "iban", "nhs", "ssn", "dob", "nino", "pin", "id",
        "c'mon", "c’mon", "cmon", "ive", "id", "ill", "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "youre", "theyre", "thats", "whats",
        "hes", "shes", "lets", "u", "ur", "omg", "lol", "tbh", "idk", "imo", "btw", "pls", "plz", "thx", "ok", "okay",
        "roma", "romani", "black", "white", "muslim", "muslims", "jewish", "jews", "christian", "christians", "hindu",
        "hindus", "sikh", "sikhs", "arab", "arabs", "latino", "latinos", "latina", "latinas", "hispanic", "catholic",
        "catholics", "protestant", "mormon", "mormons", "buddhist", "buddhists", "gay", "lesbian", "trans", "queer",
        "insta", "instagram", "ig", "tiktok", "snapchat", "snap", "twitter", "facebook", "fb", "reddit", "discord", "whatsapp",
        "telegram", "signal", "youtube", "linkedin", "tumblr", "twitch", "website", "web", "site", "link", "url", "handle",
        "username", "user", "login", "password", "account", "bot", "admin", "mod", "support",
        "german", "french", "polish", "irish", "scottish", "welsh", "italian", "spanish", "dutch", "swedish", "danish",
        "norwegian", "finnish", "russian", "chinese", "japanese", "korean", "indian", "african", "european", "asian",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Psychiatric and common medications (generic and brand names): a support conversation names them often, and the
    /// model must see them.
    /// </summary>
    private static readonly FrozenSet<string> Medications = new[]
    {
        "sertraline", "zoloft", "fluoxetine", "prozac", "escitalopram", "lexapro", "citalopram", "celexa", "paroxetine",
        "paxil", "seroxat", "venlafaxine", "effexor", "duloxetine", "cymbalta", "bupropion", "wellbutrin", "mirtazapine",
        "remeron", "trazodone", "vortioxetine", "trintellix", "amitriptyline", "nortriptyline", "lithium", "lamotrigine",
        "lamictal", "valproate", "depakote", "quetiapine", "seroquel", "olanzapine", "zyprexa", "risperidone", "risperdal",
        "aripiprazole", "abilify", "clozapine", "haloperidol", "lorazepam", "ativan", "alprazolam", "xanax", "diazepam",
        "valium", "clonazepam", "klonopin", "buspirone", "buspar", "propranolol", "hydroxyzine", "zolpidem", "ambien",
        "melatonin", "methylphenidate", "ritalin", "concerta", "adderall", "vyvanse", "lisdexamfetamine", "atomoxetine",
        "strattera", "naltrexone", "suboxone", "methadone", "ibuprofen", "advil", "paracetamol", "tylenol", "acetaminophen",
        "aspirin", "codeine", "tramadol", "oxycodone", "fentanyl", "gabapentin", "pregabalin", "lyrica",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Countries and territories (English names): places, not people ("I moved to France").</summary>
    private static readonly FrozenSet<string> Countries = new[]
    {
        "afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia", "austria", "azerbaijan",
        "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium", "belize", "benin", "bhutan", "bolivia", "bosnia",
        "botswana", "brazil", "brunei", "bulgaria", "burundi", "cambodia", "cameroon", "canada", "chad", "chile", "china",
        "colombia", "comoros", "congo", "croatia", "cuba", "cyprus", "czechia", "denmark", "djibouti", "dominica", "ecuador",
        "egypt", "eritrea", "estonia", "eswatini", "ethiopia", "fiji", "finland", "france", "gabon", "gambia", "georgia",
        "germany", "ghana", "greece", "greenland", "greenlander", "grenada", "guatemala", "guinea", "guyana", "haiti",
        "honduras", "hungary", "iceland", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy", "jamaica",
        "japan", "jordan", "kazakhstan", "kenya", "kiribati", "kosovo", "kuwait", "kyrgyzstan", "laos", "latvia", "lebanon",
        "lesotho", "liberia", "libya", "liechtenstein", "lithuania", "luxembourg", "madagascar", "malawi", "malaysia",
        "maldives", "mali", "malta", "mauritania", "mauritius", "mexico", "micronesia", "moldova", "monaco", "mongolia",
        "montenegro", "morocco", "mozambique", "myanmar", "namibia", "nauru", "nepal", "netherlands", "nicaragua", "niger",
        "nigeria", "norway", "oman", "pakistan", "palau", "palestine", "panama", "paraguay", "peru", "philippines", "poland",
        "portugal", "qatar", "romania", "russia", "rwanda", "samoa", "senegal", "serbia", "seychelles", "singapore",
        "slovakia", "slovenia", "somalia", "spain", "sudan", "suriname", "sweden", "switzerland", "syria", "taiwan",
        "tajikistan", "tanzania", "thailand", "togo", "tonga", "tunisia", "turkey", "turkmenistan", "tuvalu", "uganda",
        "ukraine", "uruguay", "uzbekistan", "vanuatu", "venezuela", "vietnam", "yemen", "zambia", "zimbabwe", "england",
        "scotland", "wales", "britain", "america", "europe", "africa", "asia", "oceania", "antarctica",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that start place names: the capitalised word after them is a place ("San Francisco").</summary>
    private static readonly FrozenSet<string> PlacePrefixes = new[]
    {
        "san", "santa", "santo", "são", "sao", "new", "los", "las", "saint", "st", "port", "fort", "mount", "lake", "el", "cape",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that make the capitalised words before them an organisation or a place, not a person.</summary>
    private static readonly FrozenSet<string> OrganisationWords = new[]
    {
        "inc", "ltd", "llc", "plc", "gmbh", "corp", "corporation", "company", "co", "group", "bank", "orchestra", "band",
        "investments", "capital", "partners", "associates", "holdings", "agency", "studio", "studios", "records", "media",
        "labs", "consulting", "solutions", "services", "systems", "technologies", "foundation", "trust", "fund", "union",
        "university", "college", "school", "academy", "hospital", "clinic", "church", "cathedral", "village", "county",
        "street", "road", "avenue", "lane", "park", "square", "station", "airport", "river", "mountain", "hotel", "cafe",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Prepositions after which a lone capitalised name is more likely a place ("in France", "from Victoria").</summary>
    private static readonly FrozenSet<string> Locatives = new[]
    {
        "in", "from", "near", "into", "across", "around", "towards", "toward", "visiting", "via",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Verbs and predicates that follow a person at the start of a sentence.</summary>
    private static readonly FrozenSet<string> PersonPredicates = new[]
    {
        "is", "was", "lives", "lived", "spent", "had", "has", "began", "begins", "shouted", "said", "says", "told", "tells",
        "asked", "asks", "listed", "works", "worked", "will", "would", "wrote", "writes", "thinks", "thought", "feels", "felt",
        "wants", "wanted", "loves", "loved", "hates", "hated", "left", "died", "moved", "called", "texted", "went", "came",
        "got", "gave", "took", "made", "keeps", "kept", "never", "always", "just", "replied", "smiled", "cried", "laughed",
        "knows", "knew", "married", "divorced", "passed", "helped", "hurt", "hit", "yelled", "screamed", "sent", "met",
        "explained", "explains", "noted", "argued", "insisted", "admitted", "added", "does", "did", "doesn't", "didn't",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Determiners = new[]
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "our", "their", "his", "her", "its", "every", "each",
        "some", "any", "no",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> MotionVerbs = new[]
    {
        "travel", "travelling", "traveling", "travelled", "traveled", "trip", "flight", "fly", "flying", "flew", "move", "moving",
        "moved", "go", "going", "went", "gone", "come", "coming", "came", "drive", "driving", "drove", "relocate", "relocating",
        "relocated", "holiday", "vacation", "back", "return", "returning", "returned", "emigrate", "emigrated", "road",
    }.ToFrozenSet(StringComparer.Ordinal);

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
