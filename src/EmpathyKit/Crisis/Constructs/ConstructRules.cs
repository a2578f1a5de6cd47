namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// The construct rules: the Suicide Risk Lexicon's constructs and EmpathyKit's mechanism classes, found in a turn by
/// <see cref="ConstructLexicon"/>, composed clause by clause into a rung of the clinical ladder with person (self or
/// someone else), negation and denial scope, tense (past and resolved, recent), frames (fiction, research, news, a
/// neutral purpose), idioms and hyperbole.
/// </summary>
/// <remarks>
/// Policy (recall first): a crisis construct in the first person that is not negated, idiomatic or framed reaches at
/// least moderate (a check-in); intent, a plan, a method sought or at hand, preparation, an act in progress, ingestion,
/// abuse disclosed, a threat to the writer's life, a threat to others with a target or means reach high or imminent.
/// Pure and thread-safe; linear in the number of words.
/// </remarks>
internal sealed class ConstructRules
{
    private static readonly string[] SuicidalConstructs = ["passive_ideation", "active_ideation", "other_suicidal_language"];

    private static readonly string[] DistressConstructs =
    [
        "hopelessness", "entrapment", "defeat", "emptiness", "depressed_mood", "emotional_pain", "loneliness", "shame",
        "meaninglessness", "anhedonia", "panic", "grief", "guilt", "fatigue", "rumination", "social_withdrawal",
    ];

    /// <summary>The constructs of the interpersonal and entrapment models of suicide: ambiguous phrases of these still set the context a means question or an absence is read in.</summary>
    private static readonly string[] RiskContextConstructs = ["burdensomeness", "hopelessness", "entrapment", "defeat", "meaninglessness"];

    /// <summary>Being somewhere with a means ("sitting here with the rifle"): what carrying a means at hand looks like.</summary>
    private static readonly HashSet<string> StillVerbs = new(StringComparer.Ordinal) { "sitting", "standing", "lying", "laying", "kneeling", "crouching", "holding", "hiding", "staring", "pacing" };

    /// <summary>Going or waiting for someone with a weapon ("waiting for him with the bat", "driving over with the shotgun").</summary>
    private static readonly HashSet<string> MovingVerbs = new(StringComparer.Ordinal) { "waiting", "driving", "heading", "walking", "going", "coming", "riding" };

    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal) { "not", "never", "no", "nothing", "nobody", "neither", "nor", "without" };

    private static readonly HashSet<string> NegationBreakers = new(StringComparer.Ordinal) { "stop", "help", "wait", "anymore", "longer", "shake", "get", "escape" };

    private static readonly HashSet<string> HelperVerbs = new(StringComparer.Ordinal) { "help", "support", "ask", "talk", "respond", "approach", "comfort", "reach", "reassure", "encourage", "spot", "recognise", "recognize", "bring" };

    private static readonly HashSet<string> SelfWords = new(StringComparer.Ordinal) { "i", "me", "my", "myself", "mine" };

    private static readonly HashSet<string> ImpersonalSubjects = new(StringComparer.Ordinal)
    {
        "it", "this", "that", "today", "tonight", "yesterday", "reality", "life", "grief", "news", "everything", "depression", "anxiety",
        "week", "day", "year", "month", "weekend", "sadness", "loneliness", "exhaustion", "tiredness", "memory", "realisation", "realization",
    };

    /// <summary>Verbs of raising a subject with someone, and "signs" (of it in someone), for <see cref="AskedAboutOthers"/>.</summary>
    private static readonly HashSet<string> AskVerbs = new(StringComparer.Ordinal)
    {
        "ask", "talk", "approach", "discuss", "rais", "bring", "mention", "broach", "screen", "sign", "check",
    };

    /// <summary>The people a helper asks ("patients", "a teen"), beside the other-subject phrases.</summary>
    private static readonly HashSet<string> OthersAsked = new(StringComparer.Ordinal)
    {
        "patients", "patient", "clients", "client", "students", "student", "teens", "teen", "teenager", "teenagers", "kids", "kid", "child",
        "children", "them", "him", "her", "people", "pupils", "pupil", "residents", "members", "friend", "colleague", "person", "staff", "team",
    };

    /// <summary>Who a farewell may be for that is not a life's end: a workplace, a class, a home (<see cref="FarewellToGroup"/>).</summary>
    private static readonly HashSet<string> FarewellGroups = new(StringComparer.Ordinal)
    {
        "team", "colleagues", "coworkers", "workmates", "office", "class", "classmates", "staff", "students", "pupils", "club", "department",
        "company", "customers", "clients", "followers", "subscribers", "house", "flat", "apartment", "city", "job", "school", "uni", "work",
    };

    /// <summary>Who kills the speaker in "kill me" when it is not the speaker (<see cref="KillerOf"/>).</summary>
    private enum Killer
    {
        /// <summary>A thing, a time or an event ("this meme", "the job").</summary>
        Thing,

        /// <summary>A named person ("my mum", "my boss").</summary>
        Named,

        /// <summary>A bare pronoun ("he", "they"), as an abuser is named in a disclosure.</summary>
        Pronoun,

        /// <summary>Anyone or anything, wished for by the speaker ("i wish someone would"): a wish to be dead.</summary>
        Wished,
    }

    /// <summary>Words between a killer and "kill me" ("is going to", "will literally", "'s gonna", "nearly").</summary>
    private static readonly HashSet<string> KillerSkips = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "be", "been", "am", "s", "going", "gonna", "gonnae", "gon", "to", "will", "would", "could", "might", "may", "can",
        "shall", "should", "literally", "actually", "really", "nearly", "almost", "just", "probably", "definitely", "totally", "seriously",
        "honestly", "finally", "trying", "try", "tries", "tried", "about", "wants", "want", "wanted", "gotta", "lowkey", "absolutely", "so", "not",
        "please", "pls", "plz",
    };

    /// <summary>A bare pronoun as killer, with the apostrophe-less contractions chat writes ("hes", "shell", "hed").</summary>
    private static readonly HashSet<string> PronounKillers = new(StringComparer.Ordinal)
    {
        "he", "she", "they", "hes", "shes", "hell", "shell", "hed", "shed", "theyll", "theyd", "theyre",
    };

    /// <summary>Words that mark the word after them as a noun ("this meme", "my heart condition", "that challenge").</summary>
    private static readonly HashSet<string> NounMarkers = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "her", "our", "their", "ma",
    };

    /// <summary>A wish or a hope ("i wish someone would", "i hope it").</summary>
    private static readonly HashSet<string> WishStems = new(StringComparer.Ordinal) { "wish", "hope", "pray" };

    /// <summary>Verbs that report a threat ("he said", "she's screaming", "he texted").</summary>
    private static readonly HashSet<string> SpeechStems = new(StringComparer.Ordinal)
    {
        "say", "said", "tell", "told", "threaten", "scream", "shout", "yell", "text", "message", "swear", "swore", "warn", "promis",
    };

    private static readonly HashSet<string> Determiners = new(StringComparer.Ordinal) { "the", "a", "an", "this", "that", "these", "those", "each", "every", "another", "no" };

    private static readonly HashSet<string> OtherReflexives = new(StringComparer.Ordinal) { "himself", "herself", "themselves", "themself", "yourself", "his", "their", "your" };

    private static readonly HashSet<string> PastParticiples = new(StringComparer.Ordinal)
    {
        "took", "taken", "drank", "drunk", "ate", "eaten", "swallowed", "downed", "popped", "chugged", "gulped", "overdosed", "had", "od", "injected", "snorted",
    };

    private static readonly HashSet<string> NumberWords = new(StringComparer.Ordinal)
    {
        "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "dozen",
    };

    private static readonly Dictionary<string, int> AgeWords = new(StringComparer.Ordinal)
    {
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17,
    };

    /// <summary>How far back, in words, a subject or a speech verb is looked for (keeps one long clause linear).</summary>
    private const int LookBack = 12;

    private readonly ConstructLexicon _lexicon;
    /// <summary>The most words an over-long message's assessed window holds (see <see cref="TryWindow"/>).</summary>
    public const int WindowWords = 3_000;

    /// <summary>How many words at the start and at the end of an over-long message are always in its window.</summary>
    public const int WindowEdgeWords = 400;

    /// <summary>Gets how many clauses these rules have composed (the work counter the fuzz tests bound).</summary>
    public long ClausesComposed => Interlocked.Read(ref _clausesComposed);

    private readonly int[] _windowCues;
    private long _clausesComposed;
    private readonly int[] _suicidal;
    private readonly int[] _distress;
    private readonly int[] _riskContext;
    private readonly int _selfInjury, _eatingDisorder, _sexualAbuse, _physicalAbuse, _burdensomeness, _exposure, _lethalMeans;
    private readonly int _means, _toxic, _medication, _quantity, _ingest, _acquire, _atHand, _seek, _death, _preparation, _inProgress,
        _emergency, _time, _intent, _desire, _position, _height, _stressor, _lethalWeapon, _thought, _fiction, _research, _news, _neutral,
        _past, _resolved, _recent, _denial, _hyperbole, _idiom, _minorAge, _perpetrator, _abuseAct, _control, _threat, _harmAct,
        _weapon, _target, _otherSubject, _ending, _endingVague, _endingVaguest, _habitual, _lethalSite, _recovery, _treatment, _substanceUse, _alcohol, _body, _emergencyStrong, _accident, _absence, _grooming, _harmInProgress, _deliberate, _secrecy, _located, _conceal, _marks, _armed;

    public ConstructRules(ConstructLexicon lexicon)
    {
        _lexicon = lexicon;
        _suicidal = [.. SuicidalConstructs.Select(Id)];
        _distress = [.. DistressConstructs.Select(Id)];
        _selfInjury = Id("self_injury");
        _eatingDisorder = Id("eating_disorder");
        _sexualAbuse = Id("sexual_abuse");
        _physicalAbuse = Id("physical_abuse");
        _burdensomeness = Id("burdensomeness");
        _exposure = Id("suicide_exposure");
        _lethalMeans = Id("lethal_means");
        _means = Id("means");
        _toxic = Id("toxic");
        _medication = Id("medication");
        _quantity = Id("quantity");
        _ingest = Id("ingest");
        _acquire = Id("acquire");
        _atHand = Id("at_hand");
        _seek = Id("seek");
        _death = Id("death");
        _preparation = Id("preparation");
        _inProgress = Id("in_progress");
        _emergency = Id("emergency");
        _time = Id("time");
        _intent = Id("intent");
        _desire = Id("desire");
        _position = Id("position");
        _height = Id("height");
        _stressor = Id("stressor");
        _lethalWeapon = Id("lethal_weapon");
        _thought = Id("thought");
        _fiction = Id("fiction");
        _research = Id("research");
        _news = Id("news");
        _neutral = Id("neutral");
        _past = Id("past");
        _resolved = Id("resolved");
        _recent = Id("recent");
        _denial = Id("denial");
        _hyperbole = Id("hyperbole");
        _idiom = Id("idiom");
        _minorAge = Id("minor_age");
        _perpetrator = Id("perpetrator");
        _abuseAct = Id("abuse_act");
        _control = Id("control");
        _threat = Id("threat");
        _harmAct = Id("harm_act");
        _weapon = Id("weapon");
        _target = Id("target");
        _otherSubject = Id("other_subject");
        _ending = Id("ending");
        _endingVague = Id("ending_vague");
        _habitual = Id("habitual");
        _endingVaguest = Id("ending_vaguest");
        _lethalSite = Id("lethal_site");
        _recovery = Id("recovery");
        _treatment = Id("treatment");
        _substanceUse = Id("substance_use");
        _alcohol = Id("alcohol");
        _body = Id("body");
        _emergencyStrong = Id("emergency_strong");
        _accident = Id("accident");
        _absence = Id("absence");
        _grooming = Id("grooming");
        _harmInProgress = Id("harm_in_progress");
        _deliberate = Id("deliberate");
        _secrecy = Id("secrecy");
        _located = Id("target_located");
        _conceal = Id("conceal");
        _marks = Id("marks");
        _armed = Id("armed");
        _riskContext = [.. RiskContextConstructs.Select(Id)];
        _windowCues =
        [
            _lethalMeans, _means, _toxic, _medication, _ingest, _acquire, _atHand, _seek, _death, _preparation, _inProgress, _emergency,
            _emergencyStrong, _intent, _position, _height, _lethalWeapon, _lethalSite, _perpetrator, _abuseAct, _control, _threat,
            _harmAct, _weapon, _harmInProgress, _grooming, _ending, _endingVague, _absence, _minorAge, _marks, _armed, _conceal,
            _secrecy, _selfInjury, _eatingDisorder, _sexualAbuse, _physicalAbuse, _burdensomeness, _exposure, .. _suicidal, .. _riskContext,
        ];
    }

    /// <summary>Analyses one turn on its own (conversation memory is applied by the detector).</summary>
    /// <param name="tokens">The turn's tokens.</param>
    /// <param name="hits">The lexicon's hits in the turn.</param>
    /// <returns>The analysis.</returns>
    public TurnAnalysis Analyze(CrisisTokens tokens, List<ConstructHit> hits)
    {
        Interlocked.Add(ref _clausesComposed, tokens.ClauseCount);
        var a = new TurnAnalysis();
        var view = new HitView(tokens, hits, _idiom, _lexicon.ClassCount);
        if (view.IdiomCount > 0)
        {
            a.Signals.Add(CrisisSignals.IdiomIgnored);
        }

        foreach (ConstructHit hit in view.Kept)
        {
            string name = _lexicon.ClassName(hit.Class);
            if (hit.Specific && !IsMechanism(hit.Class))
            {
                a.Constructs.Add(name);
            }
        }

        bool fiction = view.Any(_fiction) || view.Any(_research) || view.Any(_news);
        // A neutral word inside a means ("rat" in "rat poison") is not a frame.
        bool neutral = view.Kept.Exists(h => h.Class == _neutral && !view.Overlaps(_means, h) && !view.Overlaps(_toxic, h));
        bool resolved = view.Any(_resolved);
        // Told as the past: a past phrase, a year ("in 2015") or "when i was".
        bool past = view.Any(_past) || view.Facts.HasYear || view.Facts.SaysWhenIWas;
        bool recent = view.Any(_recent);
        bool time = view.Any(_time);
        // An age told as the past ("when i was 15", "back when i was in 7th grade") is not the speaker's age now: the
        // lexicon matches on stems, where "was" and "am" are both "be".
        a.Minor = StatesMinorAge(tokens) || view.Kept.Exists(h => h.Class == _minorAge && !AgeToldAsPast(tokens, h));
        // A medicine's name filed under a mood construct ("sertraline" under depressed mood) is not distress.
        // A loss is an event ("died", "passed away"), not a progressive ("the plants are dying").
        bool stressor = view.Kept.Exists(h => h.Class == _stressor && !(h.End - h.Start == 1 && tokens.Words[h.Start].EndsWith("ing", StringComparison.Ordinal))) || view.Kept.Exists(h => (h.Specific || SaysIAm(tokens, h)) && Array.IndexOf(_distress, h.Class) >= 0 && !view.Overlaps(_treatment, h) && !view.Overlaps(_substanceUse, h));
        // An ambiguous phrase of burden, hopelessness or entrapment ("tired of being a burden") is not distress on its own,
        // but it is the context a means question or an absence is read in.
        a.HasDistress = stressor || view.Kept.Exists(h => Array.IndexOf(_riskContext, h.Class) >= 0 && !IsNegated(tokens, view, h) && !view.Overlaps(_treatment, h));
        if (stressor)
        {
            a.Raise(RiskLevel.Low, CrisisRung.Distress, CrisisCategory.Distress, CrisisSignals.Distress);
        }

        bool meansNamed = view.Any(_means) || view.AnySpecific(_lethalMeans) || (view.Facts.FirstDrugInMessage >= 0);
        a.NamesMeans = meansNamed && !neutral && !fiction;

        for (int clause = 0; clause < tokens.ClauseCount; clause++)
        {
            AnalyzeClause(a, view, tokens, clause, fiction, neutral, resolved, past, recent, time);
        }

        if (a.Minor && a.Level >= RiskLevel.Moderate && a.Rung is not (CrisisRung.ThirdPartyConcern or CrisisRung.ThirdPartyEmergency))
        {
            a.Signals.Add(CrisisSignals.Minor);
            if (a.Rung == CrisisRung.Abuse)
            {
                a.Rung = CrisisRung.ChildAbuse;
            }

            // A child disclosing abuse is high (the level table); a minor's other findings keep their level.
            if (a.Rung is CrisisRung.ChildAbuse or CrisisRung.ThreatToLife || a.Categories.Contains(CrisisCategory.Abuse))
            {
                a.Level = (RiskLevel)Math.Max((int)RiskLevel.High, (int)a.Level);
            }
        }

        return a;
    }

    private void AnalyzeClause(TurnAnalysis a, HitView view, CrisisTokens tokens, int clause, bool messageFiction, bool messageNeutral, bool resolved, bool past, bool recent, bool time)
    {
        bool clauseFiction = messageFiction && (view.InClause(_fiction, clause) || view.InClause(_research, clause) || view.InClause(_news, clause));
        bool clauseNeutral = messageNeutral && view.InClause(_neutral, clause);
        // A frame reaches the clauses around it, but not a clause where the speaker talks about themselves and nobody else
        // ("I made a poster for class. I have the pills in front of me."): that clause is a disclosure of its own.
        bool ownVoice = view.Facts.HasSpeaker[clause] && !view.InClause(_otherSubject, clause);
        bool fiction = clauseFiction || (messageFiction && !ownVoice);
        bool neutral = clauseNeutral || (messageNeutral && !ownVoice);
        bool hyperbole = view.InClause(_hyperbole, clause);
        bool drug = (view.Facts.FirstDrug[clause] >= 0);
        bool meansInClause = view.InClause(_means, clause) || view.InClauseSpecific(_lethalMeans, clause) || drug;
        // "how to help her", "ways to ask a teenager": what is sought is a way to help, not a means.
        bool seeksHelp = view.InClauseHits(_seek, clause).Any(h => SeeksWayToHelp(tokens, h, clause));
        bool clauseSeeks = (view.InClause(_seek, clause) && !seeksHelp) || (tokens.ClauseIsQuestion[clause] && meansInClause && !seeksHelp);

        // Acts in progress, ingestion and emergencies: the top of the ladder, judged first.
        foreach (ConstructHit hit in view.InClauseHits(_inProgress, clause))
        {
            Person person = PersonOf(tokens, view, hit);
            if (IsNegated(tokens, view, hit) || clauseFiction || view.Facts.IsPast[clause])
            {
                continue;
            }

            if (person == Person.Other)
            {
                a.Raise(RiskLevel.Imminent, CrisisRung.ThirdPartyEmergency, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.ActInProgress);
            }
            else
            {
                a.Raise(RiskLevel.Imminent, CrisisRung.ActInProgress, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActInProgress);
            }
        }

        if (view.InClause(_position, clause) && view.InClause(_height, clause) && !clauseFiction && !clauseNeutral && !view.Facts.IsPast[clause]
            && (a.HasDistress || view.AnyRisk(_suicidal) || view.Facts.SaysJump))
        {
            a.Raise(RiskLevel.Imminent, CrisisRung.ActInProgress, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActInProgress, CrisisSignals.Means);
        }

        // Told as the past ("overdosed last year", "in 2015", "when i was 22") and nothing recent: history, not an emergency.
        bool history = past && !recent;
        // "does paracetamol overdose hurt?", "what happens if someone drinks bleach?": a question about nobody is not an event.
        bool generalQuestion = tokens.ClauseIsQuestion[clause] && !view.Facts.HasSelf[clause] && !view.InClause(_otherSubject, clause);
        if (!generalQuestion && Ingested(tokens, view, clause) is { } ingestion && !clauseFiction && !clauseNeutral && !IsNegated(tokens, view, ingestion))
        {
            if (PersonOf(tokens, view, ingestion) == Person.Other)
            {
                if (history)
                {
                    a.Raise(resolved ? RiskLevel.Low : RiskLevel.Moderate, resolved ? CrisisRung.PastOrDenied : CrisisRung.ThirdPartyConcern, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.Past);
                }
                else
                {
                    a.Raise(RiskLevel.Imminent, CrisisRung.ThirdPartyEmergency, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.Ingestion);
                }
            }
            else if (history)
            {
                // A past attempt is a risk factor: a check-in unless it is told as resolved.
                a.Raise(resolved ? RiskLevel.Low : RiskLevel.Moderate, resolved ? CrisisRung.PastOrDenied : CrisisRung.PastAttempt, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Past);
            }
            else if (!(resolved && past))
            {
                a.Raise(RiskLevel.Imminent, CrisisRung.Ingestion, CrisisCategory.Medical, CrisisSignals.FirstPerson, CrisisSignals.Ingestion);
                a.Categories.Add(CrisisCategory.Suicidal);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_emergency, clause).Concat(view.InClauseHits(_emergencyStrong, clause)))
        {
            bool told = (hit.Start > 0 && tokens.Words[hit.Start - 1] == "had") || (hit.Start > 1 && tokens.Words[hit.Start - 2] == "had");
            // An overdose told as history ("overdosed in 2009") is judged by the ingestion rule above, not as an emergency now.
            if (IsNegated(tokens, view, hit) || clauseFiction || told || view.Facts.IsPast[clause] || history || generalQuestion || IsConditional(tokens, hit, clause))
            {
                continue;
            }

            // A symptom ("chest pain", "can't breathe") is an emergency with something taken; a heart attack or "not breathing" always is.
            bool substance = hit.Class == _emergencyStrong || view.Any(_medication) || view.Any(_toxic) || view.Any(_ingest) || view.Any(_means) || a.Rung == CrisisRung.Ingestion;
            Person person = PersonOf(tokens, view, hit);
            if (person == Person.Other)
            {
                a.Raise(substance ? RiskLevel.Imminent : RiskLevel.High, CrisisRung.ThirdPartyEmergency, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.Ingestion);
            }
            else
            {
                a.Symptom = true;
                a.Raise(substance ? RiskLevel.Imminent : RiskLevel.Moderate, CrisisRung.MedicalEmergency, CrisisCategory.Medical, CrisisSignals.FirstPerson);
            }
        }

        // Preparation and means at hand.
        foreach (ConstructHit hit in view.InClauseHits(_preparation, clause))
        {
            if (FarewellToGroup(tokens, hit, clause))
            {
                // "a goodbye message for the team", "said goodbye to my old flat": leaving a job, a class or a home.
                continue;
            }

            if (IsNegated(tokens, view, hit) || clauseFiction || clauseNeutral || PersonOf(tokens, view, hit) == Person.Other)
            {
                if (clauseFiction || clauseNeutral)
                {
                    a.Signals.Add(CrisisSignals.FrameIgnored);
                }

                continue;
            }

            a.Raise(RiskLevel.High, CrisisRung.Preparation, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Preparation);
        }

        // "plastic bag, zip tie, the tank. it's all on the bed next to me": a means named in the clause before, referred
        // to ("it", "they", "all") where it is at hand.
        int meansClause = meansInClause ? clause : clause > 0 && view.InClause(_atHand, clause) && RefersBack(tokens, view, clause) && MeansIn(view, clause - 1) ? clause - 1 : -1;
        if (meansClause >= 0 && !fiction && !clauseNeutral && !neutral)
        {
            bool weapon = view.InClause(_lethalWeapon, clause);
            bool armedWith = ArmedWith(tokens, view, clause);
            bool atHand = view.InClause(_atHand, clause) || armedWith;
            bool acquired = view.InClauseHits(_acquire, clause).Any(h => !IsAuxiliary(tokens, h));
            bool stockpile = acquired && (view.InClause(_quantity, clause) || view.Facts.HasNumber[clause] || view.Facts.Stockpile[clause]);
            ConstructHit anchor = view.FirstInClause(_means, meansClause) ?? view.FirstInClause(_lethalMeans, meansClause) ?? new ConstructHit(_means, view.Facts.FirstDrug[meansClause], view.Facts.FirstDrug[meansClause] + 1, Specific: true);
            // Where the means is ("next to me", "in my hand") says whose it is at hand, whoever owns it ("my dad's gun").
            Person person = view.InClauseHits(_atHand, clause).Any(h => SpanHasSelf(tokens, h)) || (armedWith && view.Facts.HasSelf[clause]) ? Person.Self : PersonOf(tokens, view, anchor);
            bool denied = IsNegated(tokens, view, anchor) || view.InClause(_denial, clause);
            bool meansHistory = history && !view.Any(_habitual);
            if (!denied && person != Person.Other && (atHand || stockpile || (acquired && (weapon || a.HasDistress || view.AnyRisk(_suicidal)))) && !view.Facts.IsPast[clause] && !meansHistory)
            {
                a.Raise(RiskLevel.High, CrisisRung.Preparation, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Means, CrisisSignals.MeansAtHand);
                bool ready = view.Any(_time) || view.Any(_ingest) || a.HasDistress || view.AnyRisk(_suicidal) || view.Any(_ending);
                if (atHand && ready)
                {
                    // A means at hand with a time, an act or distress: a plan about to be carried out.
                    a.Raise(RiskLevel.Imminent, CrisisRung.Plan, CrisisCategory.Suicidal, CrisisSignals.Plan, CrisisSignals.MeansAtHand);
                }
            }
        }

        // Seeking a means or method: a question about a means or about dying.
        // A death told ("my goldfish died", "the plants are dying", "overdose deaths went down") is not a death asked about.
        bool deathAsked = view.InClauseHits(_death, clause).Any(h => tokens.Words[h.Start] is not ("died" or "dying" or "deaths" or "suicides" or "overdoses"));
        if (clauseSeeks && !fiction && !clauseNeutral && !neutral && (meansInClause || deathAsked || view.InClause(_height, clause)))
        {
            a.SeeksMeans = true;
            // For oneself: the death or dose applies to "me", "myself", "my life" ("how many would kill me"), not just asked by "I".
            bool forSelf = view.Facts.HasSelfObject[clause] && (view.InClause(_death, clause) || view.InClause(_toxic, clause));
            if (a.HasDistress || forSelf || AnyRiskBeyondMeans(view))
            {
                a.Raise(RiskLevel.High, CrisisRung.MethodThoughts, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.MeansSeeking);
            }
        }

        // Suicidal ideation constructs.
        foreach (int construct in _suicidal)
        {
            foreach (ConstructHit hit in view.InClauseHits(construct, clause))
            {
                if (!hit.Specific)
                {
                    continue;
                }

                ApplyIdeation(a, view, tokens, hit, construct, clause, clauseFiction, hyperbole, resolved, past, recent, time);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_ending, clause))
        {
            ApplyIdeation(a, view, tokens, hit, _suicidal[1], clause, clauseFiction, hyperbole, resolved, past, recent, time);
        }

        foreach (ConstructHit hit in view.InClauseHits(_endingVague, clause))
        {
            // "end it", "not be here", "do it": suicidal only with a stated intent, wish or time, and not "end it with him".
            bool withWhom = hit.End < tokens.Count && tokens.Clause[hit.End] == clause && tokens.Words[hit.End] is "with" or "for";
            bool intended = view.InClauseBefore(_intent, clause, hit.Start) || view.InClauseBefore(_desire, clause, hit.Start) || view.InClause(_time, clause);
            if (intended && !withWhom)
            {
                ApplyIdeation(a, view, tokens, hit, _suicidal[1], clause, clauseFiction, hyperbole, resolved, past, recent, time);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_absence, clause))
        {
            // "I won't be around much longer": with an intent or a time it is intent; as a wish it is a wish to be dead.
            if (clauseFiction || PersonOf(tokens, view, hit) == Person.Other)
            {
                continue;
            }

            // "not be around this weekend" is a plan to travel: only "much longer", "anymore" or distress make it about living.
            bool lasting = false;
            for (int i = hit.Start; i < Math.Min(tokens.Count, hit.End + 3) && tokens.Clause[i] == clause; i++)
            {
                lasting |= tokens.Words[i] is "longer" or "anymore" or "forever";
            }

            if (!lasting && !a.HasDistress && !view.AnyRisk(_suicidal))
            {
                continue;
            }

            bool context = a.HasDistress || view.AnyRisk(_suicidal);
            if ((lasting && context) || ((lasting || context) && (view.InClause(_time, clause) || view.InClauseBefore(_intent, clause, hit.Start))))
            {
                a.Raise(RiskLevel.High, CrisisRung.Intent, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation, CrisisSignals.Intent);
            }
            else
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.WishToBeDead, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.PassiveIdeation);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_endingVaguest, clause))
        {
            // "do it", "go through with it": only with a stated intent or wish and distress, risk or a means in the message.
            bool intended = view.InClauseBefore(_intent, clause, hit.Start) || view.InClauseBefore(_desire, clause, hit.Start);
            bool followed = hit.End < tokens.Count && tokens.Clause[hit.End] == clause;
            if (intended && !followed && (a.HasDistress || view.AnyRisk(_suicidal) || view.Any(_means)))
            {
                ApplyIdeation(a, view, tokens, hit, _suicidal[1], clause, clauseFiction, hyperbole, resolved, past, recent, time);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_burdensomeness, clause))
        {
            if (hit.Specific && Judge(a, view, tokens, hit, clauseFiction, resolved, past, recent) == Person.Self)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.Burdensomeness, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.PassiveIdeation);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_exposure, clause))
        {
            if (hit.Specific && !clauseFiction)
            {
                a.HasDistress = true;
                a.Raise(RiskLevel.Low, CrisisRung.Distress, CrisisCategory.Distress, CrisisSignals.Distress);
            }
        }

        // Self-harm.
        foreach (ConstructHit hit in view.InClauseHits(_selfInjury, clause))
        {
            if (InjuredOnSomething(tokens, view, hit, clause))
            {
                // "burned my hand on the kettle", "hit my head on the cupboard door": where it happened, an accident.
                continue;
            }

            bool singleWord = hit.End - hit.Start == 1;
            bool otherReflexive = OtherReflexiveInjury(tokens, view, hit, clause);
            if ((!hit.Specific || singleWord) && !otherReflexive && !IntransitiveSelfUse(tokens, view, hit, clause))
            {
                continue;
            }

            Person person = Judge(a, view, tokens, hit, clauseFiction, resolved, past, recent);
            if (person == Person.Other)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.ThirdPartyConcern, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.SelfHarm);
                if (otherReflexive && view.Facts.SaysJustOrNow && view.Facts.SaysBleeding)
                {
                    // "my brother just cut himself and it's not stopping", "cutting herself right now… so much blood".
                    a.Raise(RiskLevel.Imminent, CrisisRung.ThirdPartyEmergency, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.SelfHarm, CrisisSignals.ActInProgress);
                }
            }
            else if (person == Person.Self && ToldAsHistory(tokens, view, hit, recent))
            {
                // Told with a year or an age ("cut myself when i was 15", "overdosed in 2009"): history, a risk factor, not an act now.
                a.Raise(RiskLevel.Moderate, CrisisRung.PastAttempt, CrisisCategory.SelfHarm, CrisisSignals.FirstPerson, CrisisSignals.SelfHarm, CrisisSignals.Past);
            }
            else if (person == Person.Self)
            {
                bool urgeOnly = (view.InClause(_thought, clause) || view.InClause(_desire, clause)) && !recent && !PastTenseAt(tokens, hit);
                if (urgeOnly && hyperbole)
                {
                    continue;
                }

                a.Raise(urgeOnly ? RiskLevel.Moderate : RiskLevel.High, urgeOnly ? CrisisRung.SelfHarmUrge : CrisisRung.SelfHarm, CrisisCategory.SelfHarm, CrisisSignals.FirstPerson, CrisisSignals.SelfHarm);
                if (!urgeOnly && view.InClause(_lethalSite, clause) && view.Facts.SaysJustOrNow)
                {
                    // A wrist or throat cut just now is an act in progress, a medical emergency.
                    a.Raise(RiskLevel.Imminent, CrisisRung.ActInProgress, CrisisCategory.SelfHarm, CrisisSignals.ActInProgress, CrisisSignals.Ingestion);
                }
            }
        }

        // Eating disorders.
        foreach (ConstructHit hit in view.InClauseHits(_eatingDisorder, clause))
        {
            if (!hit.Specific || fiction || neutral)
            {
                continue;
            }

            Person person = Judge(a, view, tokens, hit, clauseFiction, resolved, past, recent);
            if (person == Person.Other)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.ThirdPartyConcern, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson);
            }
            else if (person == Person.Self)
            {
                bool method = clauseSeeks && !view.InClause(_recovery, clause);
                a.Raise(method ? RiskLevel.High : RiskLevel.Moderate, method ? CrisisRung.EatingDisorderMethod : CrisisRung.EatingDisorder, CrisisCategory.EatingDisorder, CrisisSignals.FirstPerson);
                if (method)
                {
                    a.Signals.Add(CrisisSignals.MeansSeeking);
                }
            }
        }

        // Abuse, coercive control, threats to the writer's life.
        foreach (ConstructHit hit in view.InClauseHits(_threat, clause, includeIdioms: true))
        {
            if (!IsNegated(tokens, view, hit) && !clauseFiction && !(resolved && past))
            {
                bool told = view.InClause(_past, clause) && !view.InClause(_recent, clause);
                // Told with a laugh and no weapon ("he'd kill me if i spoiled the finale lmao"): a check-in, not an escalation.
                bool joking = view.Facts.Laughs && !view.Any(_weapon);
                a.Raise(told || joking ? RiskLevel.Moderate : RiskLevel.High, CrisisRung.ThreatToLife, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
            }
        }

        foreach (ConstructHit hit in view.InClauseHits(_control, clause))
        {
            if (!IsNegated(tokens, view, hit) && !clauseFiction && !hyperbole && !(resolved && past))
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.CoerciveControl, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
            }
        }

        ApplyAbuse(a, view, tokens, clause, clauseFiction, resolved, past, hyperbole);

        // Harm to others in progress ("knife to his throat"), and a weapon carried with an intent or a time.
        foreach (ConstructHit hit in view.InClauseHits(_harmInProgress, clause))
        {
            if (!clauseFiction && !IsNegated(tokens, view, hit) && SubjectIsSelf(tokens, view, hit))
            {
                a.Raise(RiskLevel.Imminent, CrisisRung.HarmOthersThreat, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers, CrisisSignals.ActInProgress);
            }
        }

        if (view.FirstInClause(_weapon, clause) is { } weaponHit && !fiction && !neutral && view.Facts.HasSelf[clause] && SubjectIsSelf(tokens, view, weaponHit) && view.Any(_otherSubject)
            && (view.InClause(_intent, clause) || view.InClause(_time, clause)) && !view.InClause(_denial, clause))
        {
            a.Raise(RiskLevel.High, CrisisRung.HarmOthersThreat, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers, CrisisSignals.Intent);
        }

        // Armed and near a target ("waiting for him with the bat", "driving over there with the shotgun"), or a target
        // located ("i know where he lives", "his schedule") with a harm act or a weapon: a threat with means or a target.
        if (!fiction && !clauseNeutral && !view.InClause(_denial, clause) && !hyperbole)
        {
            bool armed = ArmedWith(tokens, view, clause, towardsSomeone: true) && view.FirstInClause(_weapon, clause) is { } w && SubjectIsSelf(tokens, view, w);
            bool towards = view.InClause(_target, clause) || view.InClause(_located, clause) || (view.Any(_otherSubject) && (view.InClause(_time, clause) || view.Facts.SaysJustOrNow));
            if (armed && towards)
            {
                a.Raise(RiskLevel.Imminent, CrisisRung.HarmOthersThreat, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers, CrisisSignals.ActInProgress);
            }
            else if (view.InClause(_located, clause) && (view.Any(_weapon) || view.Kept.Exists(h => h.Class == _harmAct && !IsNegated(tokens, view, h) && SubjectIsSelf(tokens, view, h))))
            {
                a.Raise(RiskLevel.High, CrisisRung.HarmOthersThreat, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers, CrisisSignals.Intent);
            }
        }

        // Injuries hidden ("so nobody sees", "hide the marks"): self-harm, or abuse when someone else did it.
        if (view.FirstInClause(_conceal, clause) is { } hidden && !fiction && !IsNegated(tokens, view, hidden) && !(resolved && past)
            && (view.Any(_marks) || view.Any(_body)) && !view.Facts.IsPast[clause])
        {
            bool marks = view.Any(_marks);
            if (view.Any(_perpetrator) || view.Any(_abuseAct))
            {
                a.Raise(marks ? RiskLevel.High : RiskLevel.Moderate, CrisisRung.Abuse, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
            }
            else
            {
                a.Raise(marks ? RiskLevel.High : RiskLevel.Moderate, marks ? CrisisRung.SelfHarm : CrisisRung.SelfHarmUrge, CrisisCategory.SelfHarm, CrisisSignals.FirstPerson, CrisisSignals.SelfHarm);
            }
        }

        // Grooming: a secret kept with an adult ("our secret", "not to tell my parents").
        if (view.InClause(_grooming, clause) && view.Kept.Exists(h => h.Class == _perpetrator && tokens.Words[h.Start] is not ("he" or "she" or "they" or "someone")) && !fiction)
        {
            a.Raise(RiskLevel.High, CrisisRung.Abuse, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
        }

        // Harm done to oneself on purpose ("slammed my hand in the door on purpose").
        if (view.InClause(_deliberate, clause) && view.Facts.HasSelf[clause] && (view.InClause(_body, clause) || view.InClause(_selfInjury, clause)) && !fiction)
        {
            a.Raise(RiskLevel.High, CrisisRung.SelfHarm, CrisisCategory.SelfHarm, CrisisSignals.FirstPerson, CrisisSignals.SelfHarm);
        }

        // Secrecy around a means or a method ("where to buy helium without anyone asking questions").
        if (view.InClause(_secrecy, clause) && (meansInClause || clauseSeeks || view.Any(_means)) && !fiction && !clauseNeutral)
        {
            a.Raise(RiskLevel.High, CrisisRung.MethodThoughts, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.MeansSeeking);
        }

        // Harm to others.
        foreach (ConstructHit hit in view.InClauseHits(_harmAct, clause))
        {
            if (clauseFiction || IsNegated(tokens, view, hit) || !SubjectIsSelf(tokens, view, hit) || !TargetFollows(view, hit, clause))
            {
                continue;
            }

            bool intent = view.InClauseBefore(_intent, clause, hit.Start) || view.InClause(_weapon, clause) || (time && view.InClause(_time, clause));
            bool desire = view.InClauseBefore(_desire, clause, hit.Start) || view.InClauseBefore(_thought, clause, hit.Start);
            if (hyperbole && !intent)
            {
                continue;
            }

            // "i will actually kill him lol", "gonna murder my brother, he ate my leftovers": with a laugh or a petty
            // grievance and no weapon, located target or time ("literally going to kill him tonight" stays a threat), a
            // thought voiced, not a threat.
            if (intent && (view.Facts.Laughs || (hyperbole && !(time && view.InClause(_time, clause)))) && !view.Any(_weapon) && !view.Any(_located))
            {
                intent = false;
                desire = true;
            }

            if (intent)
            {
                a.Raise(RiskLevel.High, CrisisRung.HarmOthersThreat, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers, CrisisSignals.Intent);
            }
            else if (desire)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.HarmOthersThoughts, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.HarmToOthers);
            }
        }
    }

    private void ApplyIdeation(TurnAnalysis a, HitView view, CrisisTokens tokens, ConstructHit hit, int construct, int clause, bool clauseFiction, bool hyperbole, bool resolved, bool past, bool recent, bool time)
    {
        if (hit.End - hit.Start == 1 && !view.Facts.HasSelf[clause])
        {
            // A bare noun ("suicide", "overdose") is a topic until a clause ties it to someone: "i think about suicide", not "why is veteran suicide higher".
            return;
        }

        if (KillerOf(tokens, view, hit, clause) is { } killer)
        {
            ApplyKiller(a, view, tokens, hit, clause, killer, clauseFiction, resolved, past, recent);
            return;
        }

        Person person = Judge(a, view, tokens, hit, clauseFiction, resolved, past, recent);
        if (person == Person.Self && ToldAsHistory(tokens, view, hit, recent))
        {
            // "overdosed when i was 19", "tried to kill myself in 2015": a past attempt, a risk factor, not an act now.
            a.Raise(RiskLevel.Moderate, CrisisRung.PastAttempt, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Past);
            return;
        }

        bool active = construct == _suicidal[1];
        if (person == Person.Other)
        {
            a.Raise(RiskLevel.Moderate, CrisisRung.ThirdPartyConcern, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, active ? CrisisSignals.ActiveIdeation : CrisisSignals.PassiveIdeation);
            return;
        }

        if (person != Person.Self)
        {
            return;
        }

        // "planning my suicide", "going to commit suicide": a stated intent makes any suicidal construct active.
        active |= view.InClauseBefore(_intent, clause, hit.Start) && construct != _suicidal[0];
        if (!active)
        {
            a.Raise(RiskLevel.Moderate, CrisisRung.WishToBeDead, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.PassiveIdeation);
            return;
        }

        bool intent = view.InClauseBefore(_intent, clause, hit.Start) || view.InClauseBefore(_desire, clause, hit.Start);
        bool method = view.InClause(_means, clause) || view.Overlaps(_lethalMeans, hit) || view.InClauseSpecific(_lethalMeans, clause) || view.InClause(_seek, clause);
        bool thoughtOnly = view.InClauseBefore(_thought, clause, hit.Start) && !intent;
        bool clauseTime = time && view.InClause(_time, clause);
        bool planned = clauseTime || view.Any(_atHand) || view.Facts.SaysPlan;
        if (hyperbole && !method && !planned)
        {
            a.Raise(RiskLevel.Moderate, CrisisRung.ActiveThoughts, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation);
            return;
        }

        if ((intent || !thoughtOnly) && planned)
        {
            bool imminent = clauseTime || view.Any(_atHand);
            a.Raise(imminent ? RiskLevel.Imminent : RiskLevel.High, CrisisRung.Plan, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation, CrisisSignals.Plan, clauseTime ? CrisisSignals.TimeBound : CrisisSignals.Intent);
            if (intent)
            {
                a.Signals.Add(CrisisSignals.Intent);
            }
        }
        else if (intent)
        {
            a.Raise(RiskLevel.High, method ? CrisisRung.MethodThoughts : CrisisRung.Intent, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation, CrisisSignals.Intent);
        }
        else if (method)
        {
            a.Raise(RiskLevel.High, CrisisRung.MethodThoughts, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation, CrisisSignals.Means);
        }
        else
        {
            a.Raise(RiskLevel.Moderate, CrisisRung.ActiveThoughts, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation);
        }
    }

    /// <summary>
    /// Who kills in an ideation phrase whose object is the speaker ("kill me", "killed me"), when it is not the speaker:
    /// a death the speaker wishes for ("i wish someone would kill me"), a thing ("this meme killed me", "this job is
    /// gonna kill me"), a named person ("my boss is going to kill me") or a bare pronoun ("he said he'll kill me").
    /// <see langword="null"/> when the phrase is the speaker's own (no subject: "kill me now",
    /// "just kill me"), asked about dying (a question, a means or a height in the clause), or of a distress its subject
    /// names ("my depression is going to kill me").
    /// </summary>
    private Killer? KillerOf(CrisisTokens tokens, HitView view, ConstructHit hit, int clause)
    {
        if (tokens.Stems[hit.Start] is not ("kill" or "murder") || Array.IndexOf(tokens.Words, "me", hit.Start, hit.End - hit.Start) < 0)
        {
            return null;
        }

        if (tokens.ClauseIsQuestion[clause] || view.InClause(_means, clause) || view.InClauseSpecific(_lethalMeans, clause) || view.InClause(_toxic, clause)
            || view.InClause(_medication, clause) || view.InClause(_height, clause) || view.Facts.FirstDrug[clause] >= 0)
        {
            return null;
        }

        // After "and" ("find my house and kill me") the killer is the subject of the first verb: only a subject counts.
        bool coordinated = false;
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - LookBack) && tokens.Clause[i] == clause; i--)
        {
            string w = tokens.Words[i];
            if (w is "and" or "then")
            {
                coordinated = true;
                continue;
            }

            var at = new ConstructHit(_perpetrator, i, i + 1, Specific: true);
            bool person = view.Overlaps(_perpetrator, at) || view.Overlaps(_otherSubject, at);
            // A verb between ("threatened to", "tried to", "said he'd") is passed over: the killer is its subject.
            bool verb = SpeechStems.Contains(tokens.Stems[i]) || (!person && w.Length > 4 && (w.EndsWith("ed", StringComparison.Ordinal) || w.EndsWith("ing", StringComparison.Ordinal)));
            if (KillerSkips.Contains(w) || verb || (coordinated && !person && !PronounKillers.Contains(w) && w is not ("i" or "me" or "myself")))
            {
                continue;
            }

            if (w is "i" or "me" or "myself")
            {
                return null;
            }

            // "i wish someone would kill me", "i hope this illness kills me": a death wished for, by whoever.
            if (StemBefore(tokens, i, WishStems))
            {
                return Killer.Wished;
            }

            if (w is "someone" or "somebody" or "anyone" or "anybody" or "god" or "something" || view.InClauseBefore(_desire, clause, i) || view.InClauseBefore(_thought, clause, i))
            {
                return null;
            }

            if (PronounKillers.Contains(w))
            {
                return Killer.Pronoun;
            }

            if (person)
            {
                return Killer.Named;
            }

            bool distress = Array.Exists(_distress, d => view.Overlaps(d, at)) || Array.Exists(_riskContext, d => view.Overlaps(d, at));
            // A noun: a determiner or possessive within the three words before ("this meme", "that spicy wing challenge").
            bool thing = ImpersonalSubjects.Contains(w);
            for (int j = i - 1; !thing && j >= Math.Max(0, i - 3) && tokens.Clause[j] == clause; j--)
            {
                thing = NounMarkers.Contains(tokens.Words[j]);
            }

            return thing && !distress ? Killer.Thing : null;
        }

        return null;
    }

    private bool MeansIn(HitView view, int clause) =>
        view.InClause(_means, clause) || view.InClauseSpecific(_lethalMeans, clause) || view.Facts.FirstDrug[clause] >= 0;

    /// <summary>Whether a pronoun before the clause's first at-hand phrase refers back ("it's all next to me", "they're in my bag").</summary>
    private bool RefersBack(CrisisTokens tokens, HitView view, int clause)
    {
        ConstructHit? atHand = view.FirstInClause(_atHand, clause);
        for (int i = atHand?.Start - 1 ?? -1; i >= 0 && tokens.Clause[i] == clause; i--)
        {
            if (tokens.Words[i] is "it" or "they" or "them" or "these" or "those" or "everything" or "all" or "both")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A question about how to ask others about it ("how do i ask a friend directly if they're thinking about suicide",
    /// "how should i ask patients about suicidal thoughts", "what are signs a student might be self harming"): the
    /// construct is the topic of a conversation the writer means to have, not a disclosure. Not when the writer is in it
    /// ("how do i talk to my therapist about my suicidal thoughts").
    /// </summary>
    private bool AskedAboutOthers(CrisisTokens tokens, HitView view, ConstructHit hit, int clause)
    {
        if (SpanHasSelf(tokens, hit))
        {
            return false;
        }

        bool question = tokens.ClauseIsQuestion[clause];
        bool aboutOrIf = false, other = false;
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - LookBack) && tokens.Clause[i] == clause; i--)
        {
            string w = tokens.Words[i];
            // "how should i", "my students": the helper asking, and whom.
            bool asker = (w == "i" && i > 0 && tokens.Words[i - 1] is "do" or "should" or "can" or "could" or "would")
                || (w == "my" && i + 1 < tokens.Count && tokens.Words[i + 1] is "patients" or "clients" or "students" or "pupils" or "staff" or "team" or "residents" or "members" or "class");
            if (SelfWords.Contains(w) && !asker)
            {
                return false;
            }

            aboutOrIf |= w is "about" or "if" or "whether";
            other |= view.StartsAt(_otherSubject, i) || OthersAsked.Contains(w);
            if (AskVerbs.Contains(tokens.Stems[i]) && (aboutOrIf || tokens.Words[i] == "signs"))
            {
                for (int j = i - 1; !question && j >= Math.Max(0, i - LookBack) && tokens.Clause[j] == clause; j--)
                {
                    question = tokens.Words[j] is "how" or "what" or "ways" or "way" or "tips";
                }

                return question && other;
            }
        }

        return false;
    }

    /// <summary>Whether a word of <paramref name="stems"/> stands before word <paramref name="i"/> in its clause, at most <see cref="LookBack"/> words back.</summary>
    private static bool StemBefore(CrisisTokens tokens, int i, HashSet<string> stems)
    {
        for (int j = i - 1; j >= Math.Max(0, i - LookBack) && tokens.Clause[j] == tokens.Clause[i]; j--)
        {
            if (stems.Contains(tokens.Stems[j]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A death at someone else's hand: wished for by the speaker, a wish to be dead (moderate); else a threat to the speaker's life when it is told (a speech verb: "he said he'll
    /// kill me"), made with a weapon or now, or voiced by a bare pronoun ("he's going to kill me"); a named person's
    /// prediction ("my mum's gonna kill me when…") and a thing's ("this meme killed me") are hyperbole, set aside.
    /// </summary>
    private void ApplyKiller(TurnAnalysis a, HitView view, CrisisTokens tokens, ConstructHit hit, int clause, Killer killer, bool clauseFiction, bool resolved, bool past, bool recent)
    {
        if (killer == Killer.Wished)
        {
            if (Judge(a, view, tokens, hit, clauseFiction, resolved, past, recent) == Person.Self)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.WishToBeDead, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.PassiveIdeation);
            }

            return;
        }

        bool told = StemBefore(tokens, hit.Start, SpeechStems);
        bool now = view.Facts.SaysJustOrNow && view.InClause(_time, clause);
        bool threat = killer == Killer.Pronoun || (killer == Killer.Named && (told || now || view.Any(_weapon) || view.InClause(_threat, clause)));
        if (!threat || clauseFiction)
        {
            a.Signals.Add(clauseFiction ? CrisisSignals.FrameIgnored : CrisisSignals.IdiomIgnored);
            return;
        }

        if (IsNegated(tokens, view, hit))
        {
            a.Raise(RiskLevel.Low, CrisisRung.PastOrDenied, CrisisCategory.Distress, CrisisSignals.Negated);
            return;
        }

        if (resolved && past)
        {
            a.Raise(RiskLevel.Low, CrisisRung.PastOrDenied, CrisisCategory.Distress, CrisisSignals.FirstPerson, CrisisSignals.Past);
            return;
        }

        // As the threat rule: told as the past, or with a laugh and no weapon, a check-in.
        bool history = view.InClause(_past, clause) && !view.InClause(_recent, clause);
        bool joking = view.Facts.Laughs && !view.Any(_weapon);
        RiskLevel level = history || joking ? RiskLevel.Moderate : now ? RiskLevel.Imminent : RiskLevel.High;
        a.Raise(level, CrisisRung.ThreatToLife, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
    }

    private void ApplyAbuse(TurnAnalysis a, HitView view, CrisisTokens tokens, int clause, bool clauseFiction, bool resolved, bool past, bool hyperbole)
    {
        if (clauseFiction)
        {
            return;
        }

        foreach (ConstructHit hit in view.InClauseHits(_abuseAct, clause))
        {
            if (IsNegated(tokens, view, hit) || ImpersonalSubject(tokens, hit))
            {
                continue;
            }

            bool objectIsSelf = SpanHasSelf(tokens, hit) || view.Facts.HasSelf[clause];
            if (!objectIsSelf)
            {
                a.Raise(RiskLevel.Moderate, CrisisRung.ThirdPartyConcern, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, CrisisSignals.Abuse);
                continue;
            }

            if (resolved && past)
            {
                a.Raise(RiskLevel.Low, CrisisRung.PastOrDenied, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Past, CrisisSignals.Abuse);
                continue;
            }

            // Told as the past, or with a laugh ("put me in a headlock for the last biscuit lol"): a check-in, not an escalation.
            RiskLevel level = (past && !a.Minor) || hyperbole ? RiskLevel.Moderate : RiskLevel.High;
            a.Raise(level, CrisisRung.Abuse, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
        }

        foreach (int construct in new[] { _sexualAbuse, _physicalAbuse })
        {
            foreach (ConstructHit hit in view.InClauseHits(construct, clause))
            {
                if (!hit.Specific || IsNegated(tokens, view, hit) || !SpanHasSelf(tokens, hit) || ImpersonalSubject(tokens, hit))
                {
                    continue;
                }

                RiskLevel level = resolved && past ? RiskLevel.Low : past && !a.Minor ? RiskLevel.Moderate : RiskLevel.High;
                a.Raise(level, level == RiskLevel.Low ? CrisisRung.PastOrDenied : CrisisRung.Abuse, CrisisCategory.Abuse, CrisisSignals.FirstPerson, CrisisSignals.Abuse);
            }
        }
    }

    /// <summary>
    /// "it hit me how much i miss her", "today hit me hard", "the grief hit me": a blow whose subject is a thing, a time
    /// or a feeling, not a person (the word just before the act, or before an adverb there).
    /// </summary>
    private static bool ImpersonalSubject(CrisisTokens tokens, ConstructHit hit)
    {
        int clause = tokens.Clause[hit.Start];
        int i = hit.Start - 1;
        if (i >= 0 && tokens.Clause[i] == clause && tokens.Words[i] is "really" or "just" or "finally" or "suddenly" or "always" or "kinda" or "sometimes" or "then" or "now")
        {
            i--;
        }

        return i >= 0 && tokens.Clause[i] == clause && ImpersonalSubjects.Contains(tokens.Words[i]);
    }

    /// <summary>Judges a construct's person, negation, frame and tense; records a denial or past as low. Returns who it is about (None when set aside).</summary>
    private Person Judge(TurnAnalysis a, HitView view, CrisisTokens tokens, ConstructHit hit, bool clauseFiction, bool resolved, bool past, bool recent)
    {
        if (clauseFiction && !SpanHasSelf(tokens, hit))
        {
            // "for my novel, the character kills himself": set aside. "researching ways to kill myself" is not a frame.
            a.Signals.Add(CrisisSignals.FrameIgnored);
            return Person.None;
        }

        int hitClause = tokens.Clause[hit.Start];
        if (AskedAboutOthers(tokens, view, hit, hitClause))
        {
            a.Signals.Add(CrisisSignals.FrameIgnored);
            return Person.None;
        }

        if (tokens.ClauseIsQuestion[hitClause] && !view.Facts.HasSelf[hitClause] && !view.InClause(_seek, hitClause))
        {
            // "how common is self-harm in teenagers?": a topic, not a disclosure.
            return Person.None;
        }

        Person person = PersonOf(tokens, view, hit);
        if (person == Person.Other)
        {
            return Person.Other;
        }

        if (IsNegated(tokens, view, hit) || view.InClause(_denial, tokens.Clause[hit.Start]))
        {
            a.Raise(RiskLevel.Low, CrisisRung.PastOrDenied, CrisisCategory.Distress, CrisisSignals.Negated);
            return Person.None;
        }

        // Resolved ("therapy helped, I'm okay now"), or told as the past ("back in 2019", "years ago") and not ongoing ("still", "again").
        int clause = tokens.Clause[hit.Start];
        // "i was self harming most nights", "i used to cut": the past tense right before the construct.
        bool pastAdjacent = view.EndsJustBefore(_past, hit.Start)
            || (hit.Start > 0 && tokens.Words[hit.Start - 1] is "was" or "were" && tokens.Words[hit.Start].EndsWith("ing", StringComparison.Ordinal))
            || (hit.Start > 1 && tokens.Words[hit.Start - 2] == "used" && tokens.Words[hit.Start - 1] == "to");
        bool pastClause = pastAdjacent || (view.InClause(_past, clause) && !view.Any(_habitual) && !view.InClause(_recent, clause));
        if ((resolved && !recent) || (past && resolved) || pastClause)
        {
            a.Raise(RiskLevel.Low, CrisisRung.PastOrDenied, CrisisCategory.Distress, CrisisSignals.FirstPerson, CrisisSignals.Past);
            return Person.None;
        }

        return Person.Self;
    }

    private Person PersonOf(CrisisTokens tokens, HitView view, ConstructHit hit)
    {
        for (int i = hit.Start; i < hit.End; i++)
        {
            if (SelfWords.Contains(tokens.Words[i]))
            {
                return Person.Self;
            }

            if (OtherReflexives.Contains(tokens.Words[i]))
            {
                return Person.Other;
            }
        }

        // Reported speech: "my friend keeps saying i won't be a problem much longer" is the friend's words.
        int clause = tokens.Clause[hit.Start];
        for (int i = hit.Start - 1; i > Math.Max(0, hit.Start - LookBack) && tokens.Clause[i] == clause; i--)
        {
            if (tokens.Stems[i] is "say" or "tell" or "text" or "post" or "writ" or "message" or "tweet")
            {
                for (int j = i - 1; j >= Math.Max(0, i - LookBack) && tokens.Clause[j] == clause; j--)
                {
                    if (view.StartsAt(_otherSubject, j))
                    {
                        return Person.Other;
                    }

                    if (tokens.Words[j] == "i")
                    {
                        break;
                    }
                }
            }
        }

        // The nearest subject before the construct in its clause decides: "i …" is the writer, "she …", "my friend …" someone else.
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - LookBack) && tokens.Clause[i] == clause; i--)
        {
            if (view.StartsAt(_otherSubject, i))
            {
                return Person.Other;
            }

            if (tokens.Words[i] is "i" or "me" or "myself")
            {
                return Person.Self;
            }
        }

        return Person.Self;
    }

    /// <summary>The harm verb's subject is the writer: "i" before it, or no subject at all ("gonna stab him").</summary>
    private bool SubjectIsSelf(CrisisTokens tokens, HitView view, ConstructHit hit)
    {
        int clause = tokens.Clause[hit.Start];
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - LookBack) && tokens.Clause[i] == clause; i--)
        {
            if (tokens.Words[i] is "i")
            {
                return true;
            }

            if (view.StartsAt(_otherSubject, i) || tokens.Words[i] is "you" or "we" or "it" or "this" or "that")
            {
                return false;
            }
        }

        return true;
    }

    private bool TargetFollows(HitView view, ConstructHit hit, int clause)
    {
        for (int i = hit.Start; i < hit.End; i++)
        {
            if (view.Tokens.Words[i] is "him" or "her" or "his" or "them")
            {
                return true;
            }
        }

        foreach (ConstructHit t in view.InClauseHits(_target, clause))
        {
            if (t.Start >= hit.End && t.Start <= hit.End + 2)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsNegated(CrisisTokens tokens, HitView view, ConstructHit hit)
    {
        int clause = tokens.Clause[hit.Start];
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - 4) && tokens.Clause[i] == clause; i--)
        {
            if (Negators.Contains(tokens.Words[i]))
            {
                // "can not stop thinking about", "no longer": not a negation of the construct.
                bool breaker = i + 1 < tokens.Count && NegationBreakers.Contains(tokens.Words[i + 1]);
                return !breaker;
            }
        }

        return view.InClauseBefore(_denial, clause, hit.Start);
    }

    private ConstructHit? Ingested(CrisisTokens tokens, HitView view, int clause)
    {
        foreach (ConstructHit hit in view.InClauseHits(_ingest, clause))
        {
            bool pastTense = PastTenseAt(tokens, hit) || (hit.Start > 0 && tokens.Words[hit.Start - 1] is "just" or "have" or "has" or "already");
            if (!pastTense)
            {
                continue;
            }

            bool overdose = tokens.Stems[hit.Start] is "overdos" or "od";
            bool mixed = tokens.Stems[hit.Start] == "mix" && view.InClause(_alcohol, clause) && (view.InClause(_medication, clause) || (view.Facts.FirstDrug[clause] >= 0) || view.InClause(_substanceUse, clause));
            if (mixed)
            {
                return hit;
            }

            bool toxic = view.InClause(_toxic, clause);
            bool amount = (view.InClause(_medication, clause) || (view.Facts.FirstDrug[clause] >= 0)) && (view.InClause(_quantity, clause) || view.Facts.HasNumber[clause]);
            // "swallowed the whole packet", "swallowed 20 of them": a bulk amount swallowed is an ingestion, named medicine or not.
            bool bulk = tokens.Stems[hit.Start] == "swallow" && (view.InClause(_quantity, clause) || view.Facts.HasNumber[clause]) && !view.InClause(_alcohol, clause);
            if (overdose || toxic || amount || bulk)
            {
                return hit;
            }
        }

        return null;
    }

    /// <summary>
    /// A means carried or held now: a present-progressive verb of the writer ("sitting", "waiting", "driving"), then "with"
    /// and a means within four words ("with my dad's rifle", "with the bat"), or an "armed" phrase ("across my knees").
    /// </summary>
    private bool ArmedWith(CrisisTokens tokens, HitView view, int clause, bool towardsSomeone = false)
    {
        if (view.InClause(_armed, clause) && (view.InClause(_weapon, clause) || view.InClause(_lethalWeapon, clause) || view.InClause(_means, clause)))
        {
            return true;
        }

        foreach (ConstructHit weapon in view.InClauseHits(_weapon, clause).Concat(view.InClauseHits(_lethalWeapon, clause)))
        {
            for (int w = weapon.Start - 1; w >= Math.Max(0, weapon.Start - 4) && tokens.Clause[w] == clause; w--)
            {
                if (tokens.Words[w] != "with")
                {
                    continue;
                }

                for (int v = w - 1; v >= Math.Max(0, w - LookBack) && tokens.Clause[v] == clause; v--)
                {
                    if (StillVerbs.Contains(tokens.Words[v]) || (towardsSomeone && MovingVerbs.Contains(tokens.Words[v])))
                    {
                        return true;
                    }
                }

                break;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an act is dated in the past by an age or a year ("when i was 19", "in 2015", not "since 2015") with nothing
    /// recent or ongoing ("again", "still", "every night") and not told in the progressive ("cutting").
    /// </summary>
    private bool ToldAsHistory(CrisisTokens tokens, HitView view, ConstructHit hit, bool recent) =>
        (view.Facts.HasYear || view.Facts.SaysWhenIWas) && !view.Facts.SaysSinceYear && !recent && !view.Any(_habitual)
        && !tokens.Words[hit.Start].EndsWith("ing", StringComparison.Ordinal);

    private static bool PastTenseAt(CrisisTokens tokens, ConstructHit hit)
    {
        string word = tokens.Words[hit.Start];
        return PastParticiples.Contains(word) || (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4);
    }

    private static readonly string[] DrugSuffixes =
    [
        "azepam", "zolam", "clone", "oxetine", "alopram", "italopram", "tyline", "pramine", "codone", "morphine", "barbital",
        "olol", "zepine", "apine", "idone", "afaxine", "traline", "profen", "amol", "ophen", "adol", "fentanil", "etamine",
        // More pharmacological stems (anticonvulsants, antipsychotics, cardiovascular, diabetes, antibiotics, antiemetics).
        "trigine", "peridol", "sartan", "statin", "cillin", "mycin", "floxacin", "prazole", "tidine", "dipine", "formin",
        "gliptin", "setron", "triptan", "semide", "thiazide", "proate", "piramate", "barbitone", "zodone", "oxazine",
        "thiazine", "lukast", "xaban",
    ];

    /// <summary>
    /// An ambiguous self-injury word ("cutting", "burning") used of oneself without an everyday object: "I started cutting
    /// again", "cutting myself", "cutting my arm", but not "cutting the grass" or "cutting carbs".
    /// </summary>
    /// <summary>
    /// An injury the speaker had once, followed by where it happened ("burned my hand on the kettle", "cut my finger on
    /// a tin"): an accident. Not when it is repeated or ongoing ("hitting", "keep", "until it bleeds", "when i get like
    /// this"), done on purpose, done by someone else ("mum burned my hand on the stove"), against a wall or floor, or
    /// on a part of the body ("cuts on my arm").
    /// </summary>
    private bool InjuredOnSomething(CrisisTokens tokens, HitView view, ConstructHit hit, int clause)
    {
        if (view.InClause(_deliberate, clause) || view.Any(_habitual) || view.InClause(_desire, clause) || view.InClause(_thought, clause)
            || tokens.Words[hit.Start].EndsWith("ing", StringComparison.Ordinal) || view.Any(_perpetrator) || view.InClauseBefore(_otherSubject, clause, hit.Start))
        {
            return false;
        }

        for (int i = Math.Max(0, hit.Start - 2); i < tokens.Count && tokens.Clause[i] == clause; i++)
        {
            if (tokens.Words[i] is "keep" or "keeps" or "kept" or "until" or "till" or "whenever" or "when" or "wall" or "walls" or "floor")
            {
                return false;
            }
        }

        for (int i = hit.End; i < Math.Min(tokens.Count - 2, hit.End + 3) && tokens.Clause[i] == clause; i++)
        {
            if (tokens.Words[i] == "on" && tokens.Words[i + 1] is "the" or "a" or "an" or "my" or "our" or "some" && !view.StartsAt(_body, i + 2))
            {
                return true;
            }
        }

        return false;
    }

    private bool IntransitiveSelfUse(CrisisTokens tokens, HitView view, ConstructHit hit, int clause)
    {
        if (PersonOf(tokens, view, hit) != Person.Self || !view.Facts.HasSelf[clause] || view.InClause(_accident, clause))
        {
            return false;
        }

        if (hit.Start > 0 && tokens.Clause[hit.Start - 1] == clause
            && (Determiners.Contains(tokens.Words[hit.Start - 1]) || (hit.Start > 1 && tokens.Clause[hit.Start - 2] == clause && Determiners.Contains(tokens.Words[hit.Start - 2]) && !SelfWords.Contains(tokens.Words[hit.Start - 1]))))
        {
            // "made the final cut", "a scratch": after a determiner the word is a noun, not something done to oneself.
            return false;
        }

        if (hit.End >= tokens.Count || tokens.Clause[hit.End] != clause)
        {
            return true;
        }

        for (int i = hit.End; i < Math.Min(tokens.Count, hit.End + 5) && tokens.Clause[i] == clause; i++)
        {
            // "cut my arm", "cut my left wrist": a part of the body, directly or after one word.
            if (tokens.Words[i] == "my" && ((i + 1 < tokens.Count && view.StartsAt(_body, i + 1)) || (i + 2 < tokens.Count && tokens.Clause[i + 2] == clause && view.StartsAt(_body, i + 2))))
            {
                return true;
            }
        }

        string next = tokens.Words[hit.End];
        if (next == "my")
        {
            // "cut my night short", "burn my toast": what follows "my" is not the body.
            return false;
        }

        return SelfWords.Contains(next) || next is "again" or "last" or "yesterday" or "today" or "tonight" or "and" or "so" or "when" or "because" or "since" or "every" or "deep" or "deeper"
            || view.StartsAt(_recent, hit.End) || view.StartsAt(_lethalSite, hit.End);
    }

    /// <summary>
    /// An injury word done by someone else to themselves ("she's been cutting herself", "he burns himself"), not on
    /// something or by accident ("cut himself shaving").
    /// </summary>
    private bool OtherReflexiveInjury(CrisisTokens tokens, HitView view, ConstructHit hit, int clause) =>
        hit.End < tokens.Count && tokens.Clause[hit.End] == clause && tokens.Words[hit.End] is "himself" or "herself" or "themselves" or "themself"
        && tokens.Stems[hit.Start] is "cut" or "burn" or "hurt" or "harm" or "starv" or "scar" or "slash" && !view.InClause(_accident, clause);

    /// <summary>A farewell addressed to a workplace, a class or a home ("for the team", "to my colleagues", "to the flat").</summary>
    private static bool FarewellToGroup(CrisisTokens tokens, ConstructHit hit, int clause)
    {
        for (int i = hit.End; i < Math.Min(tokens.Count, hit.End + 4) && tokens.Clause[i] == clause; i++)
        {
            string w = tokens.Words[i];
            if (w is not ("for" or "to"))
            {
                continue;
            }

            for (int j = i + 1; j < Math.Min(tokens.Count, i + 4) && tokens.Clause[j] == clause; j++)
            {
                if (FarewellGroups.Contains(tokens.Words[j]))
                {
                    return true;
                }

                if (tokens.Words[j] is not ("the" or "my" or "our" or "old" or "whole" or "new" or "work" or "a"))
                {
                    break;
                }
            }
        }

        return false;
    }

    /// <summary>"have been", "had to", "get to": an auxiliary, not possession.</summary>
    private static bool IsAuxiliary(CrisisTokens tokens, ConstructHit hit) =>
        hit.End < tokens.Count && tokens.Stems[hit.Start] is "have" or "get" && tokens.Words[hit.End] is "been" or "to" or "be" or "had" or "got" or "gotten" or "done" or "thoughts" or "thought" or "no" or "nothing" or "never";

    /// <summary>"i am worthless", "i feel so empty", "im just tired": an everyday mood word said of oneself.</summary>
    private static bool SaysIAm(CrisisTokens tokens, ConstructHit hit)
    {
        int clause = tokens.Clause[hit.Start];
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - 4) && tokens.Clause[i] == clause; i--)
        {
            if (tokens.Words[i] is "feel" or "feeling" or "felt" && (i == 0 || tokens.Words[i - 1] is "i" or "so" or "just" or "really"))
            {
                return true;
            }

            if (tokens.Words[i] is "am" && i > 0 && tokens.Words[i - 1] == "i")
            {
                return true;
            }
        }

        return false;
    }

    private static bool SpanHasSelf(CrisisTokens tokens, ConstructHit hit)
    {
        for (int i = hit.Start; i < hit.End; i++)
        {
            if (SelfWords.Contains(tokens.Words[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"i am 13", "13 years old", "13yo", "13f", "i am thirteen": an age from 8 to 17.</summary>
    private static bool AgeToldAsPast(CrisisTokens tokens, ConstructHit hit)
    {
        for (int i = Math.Max(0, hit.Start - 2); i < hit.End; i++)
        {
            if (tokens.Words[i] is "was" or "were" or "when")
            {
                return true;
            }
        }

        return false;
    }

    private static bool StatesMinorAge(CrisisTokens tokens)
    {
        string[] w = tokens.Words;
        for (int i = 0; i < w.Length; i++)
        {
            int age = ParseAge(w[i]);
            if (age is < 8 or > 17)
            {
                continue;
            }

            bool before = i >= 2 && w[i - 2] == "i" && w[i - 1] == "am" || i >= 3 && w[i - 3] == "i" && w[i - 2] == "am" && w[i - 1] is "only" or "just";
            bool old = i + 2 < w.Length && w[i + 1] is "years" or "year" or "yrs" or "yr" && w[i + 2] == "old";
            bool after = old || (i + 1 < w.Length && w[i + 1] is "yo" or "y") || (w[i].Length > 2 && (w[i].EndsWith("yo", StringComparison.Ordinal) || w[i][^1] is 'f' or 'm'));
            if (before || after)
            {
                return true;
            }
        }

        return false;
    }

    private static int ParseAge(string word)
    {
        if (AgeWords.TryGetValue(word, out int age))
        {
            return age;
        }

        ReadOnlySpan<char> digits = word.AsSpan();
        if (digits.EndsWith("yo"))
        {
            digits = digits[..^2];
        }
        else if (digits.Length > 0 && digits[^1] is 'f' or 'm')
        {
            digits = digits[..^1];
        }

        return digits.Length is 1 or 2 && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : -1;
    }

    private bool IsMechanism(int classId) => classId >= _means;

    /// <summary>
    /// The bounded window an over-long message is assessed on, so that no input makes the composition slow and risk
    /// cannot hide in the middle: the clauses of the first and last <see cref="WindowEdgeWords"/> words, then every
    /// clause with a risk cue (a construct phrase, a means or drug name, acquisition, an act in progress, ingestion, an
    /// emergency, a threat, abuse, preparation …) with the clause before and after it, richest first (most distinct cue
    /// classes), then clauses with any other hit, up to <see cref="WindowWords"/> words in all. Clauses keep their order.
    /// Returns <see langword="false"/> (and the message is assessed whole) when it has at most <see cref="WindowWords"/>
    /// words. Linear in the message: one pass over its words and hits.
    /// </summary>
    internal bool TryWindow(CrisisTokens tokens, List<ConstructHit> hits, out CrisisTokens window, out List<ConstructHit> windowHits)
    {
        window = tokens;
        windowHits = hits;
        if (tokens.Count <= WindowWords)
        {
            return false;
        }

        int clauses = tokens.ClauseCount;
        int[] words = new int[clauses];
        foreach (int c in tokens.Clause)
        {
            words[c]++;
        }

        // Per clause: the distinct risk-cue classes in it, and whether it has any hit at all.
        var cueClasses = new HashSet<int>[clauses];
        bool[] anyHit = new bool[clauses];
        foreach (ConstructHit h in hits)
        {
            int c = tokens.Clause[h.Start];
            anyHit[c] = true;
            if (IsRiskCue(h))
            {
                (cueClasses[c] ??= []).Add(h.Class);
            }
        }

        var facts = new ClauseFacts(tokens);
        for (int c = 0; c < clauses; c++)
        {
            if (facts.FirstDrug[c] >= 0)
            {
                (cueClasses[c] ??= []).Add(-1);
            }
        }

        bool[] keep = new bool[clauses];
        int budget = WindowWords;
        void Take(int c)
        {
            if (c >= 0 && c < clauses && !keep[c] && words[c] <= budget)
            {
                keep[c] = true;
                budget -= words[c];
            }
        }

        for (int c = 0, seen = 0; c < clauses && seen < WindowEdgeWords; c++)
        {
            Take(c);
            seen += words[c];
        }

        for (int c = clauses - 1, seen = 0; c >= 0 && seen < WindowEdgeWords; c--)
        {
            Take(c);
            seen += words[c];
        }

        List<int> cued = [];
        for (int c = 0; c < clauses; c++)
        {
            if (cueClasses[c] is not null)
            {
                cued.Add(c);
            }
        }

        // Richest first, and in text order among equals (a stable sort), so a flood of one cue cannot push out a clause
        // that names a means and that it is at hand.
        foreach (int c in cued.OrderByDescending(c => cueClasses[c].Count))
        {
            Take(c);
            Take(c - 1);
            Take(c + 1);
        }

        for (int c = 0; c < clauses && budget > 0; c++)
        {
            if (anyHit[c])
            {
                Take(c);
            }
        }

        window = tokens.Select(keep, out int[] map);
        windowHits = [];
        foreach (ConstructHit h in hits)
        {
            int start = map[h.Start];
            int last = map[h.End - 1];
            if (start >= 0 && last - start == h.End - 1 - h.Start)
            {
                windowHits.Add(h with { Start = start, End = last + 1 });
            }
        }

        return true;
    }

    /// <summary>Whether a hit is a cue of risk for the window: a construct phrase, or a mechanism that composes into risk.</summary>
    private bool IsRiskCue(ConstructHit h) =>
        (h.Specific && !IsMechanism(h.Class)) || Array.IndexOf(_windowCues, h.Class) >= 0;

    /// <summary>"if someone is having a heart attack", "what if i stop breathing": a condition, not an event.</summary>
    private static bool IsConditional(CrisisTokens tokens, ConstructHit hit, int clause)
    {
        for (int i = hit.Start - 1; i >= Math.Max(0, hit.Start - 5) && tokens.Clause[i] == clause; i--)
        {
            if (tokens.Words[i] is "if" or "whether")
            {
                return true;
            }
        }

        return false;
    }

    private static bool SeeksWayToHelp(CrisisTokens tokens, ConstructHit seek, int clause)
    {
        for (int i = seek.End; i < Math.Min(tokens.Count, seek.End + 3) && tokens.Clause[i] == clause; i++)
        {
            if (HelperVerbs.Contains(tokens.Words[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A suicidal construct that is not just a substance's name ("carbon monoxide" is in the lexicon as active
    /// ideation; "an overdose" is an act and counts): the risk a means question is read in.
    /// </summary>
    private bool AnyRiskBeyondMeans(HitView view) =>
        view.Kept.Exists(h => h.Specific && Array.IndexOf(_suicidal, h.Class) >= 0
            && (view.Overlaps(_ingest, h) || !(view.Overlaps(_means, h) || view.Overlaps(_lethalMeans, h) || view.Overlaps(_toxic, h))));

    private int Id(string name) => _lexicon.ClassId(name) is >= 0 and var id ? id : throw new InvalidOperationException($"The crisis lexicon has no class '{name}'.");

    private enum Person
    {
        None,
        Self,
        Other,
    }

    /// <summary>Per-clause facts computed in one pass over the words, so that no rule rescans a clause per construct.</summary>
    private sealed class ClauseFacts
    {
        public ClauseFacts(CrisisTokens tokens)
        {
            int n = tokens.ClauseCount;
            HasSelf = new bool[n];
            HasSpeaker = new bool[n];
            HasSelfObject = new bool[n];
            IsPast = new bool[n];
            HasNumber = new bool[n];
            Stockpile = new bool[n];
            FirstDrug = new int[n];
            Array.Fill(FirstDrug, -1);
            int firstDrugInMessage = -1;
            bool jump = false, plan = false, justOrNow = false, year = false, whenIWas = false, sinceYear = false, laughs = false, bleeding = false;
            string[] w = tokens.Words;
            for (int i = 0; i < w.Length; i++)
            {
                int c = tokens.Clause[i];
                HasSelf[c] |= SelfWords.Contains(w[i]);
                HasSpeaker[c] |= w[i] is "i" or "me" or "myself";
                HasSelfObject[c] |= w[i] is "me" or "myself" || (w[i] == "my" && i + 1 < w.Length && w[i + 1] is "life" or "own");
                IsPast[c] |= w[i] is "was" or "were" or "used";
                HasNumber[c] |= IsCount(w, i);
                Stockpile[c] |= tokens.Stems[i] is "save" or "stockpile" or "hoard" or "collect" or "stash" or "hide";
                jump |= w[i] == "jump";
                laughs |= w[i] is "lol" or "lmao" or "lmfao" or "rofl" or "haha" or "hahaha" or "hehe" or "jk";
                plan |= w[i] is "plan" or "planned" or "planning";
                bleeding |= tokens.Stems[i] is "blood" or "bleed" or "bleeding" || w[i] is "bleeding" or "bled";
                justOrNow |= w[i] is "just" or "now";
                sinceYear |= w[i] == "since" && i + 1 < w.Length && w[i + 1].Length == 4 && w[i + 1].All(char.IsAsciiDigit);
                year |= w[i].Length == 4 && (w[i].StartsWith("19", StringComparison.Ordinal) || w[i].StartsWith("20", StringComparison.Ordinal)) && w[i].All(char.IsAsciiDigit) && i > 0 && w[i - 1] is "in" or "since" or "back";
                whenIWas |= w[i] == "when" && i + 2 < w.Length && w[i + 1] == "i" && w[i + 2] == "was";
                if (FirstDrug[c] < 0 && IsDrugName(w[i]))
                {
                    FirstDrug[c] = i;
                    firstDrugInMessage = firstDrugInMessage < 0 ? i : firstDrugInMessage;
                }
            }

            FirstDrugInMessage = firstDrugInMessage;
            SaysJump = jump;
            Laughs = laughs;
            SaysPlan = plan;
            SaysBleeding = bleeding;
            SaysJustOrNow = justOrNow;
            HasYear = year;
            SaysSinceYear = sinceYear;
            SaysWhenIWas = whenIWas;
        }

        public bool[] HasSelf { get; }

        /// <summary>Gets, per clause, whether the speaker is in it as "i", "me" or "myself" ("my" alone names a possession: "my character").</summary>
        public bool[] HasSpeaker { get; }

        /// <summary>Gets, per clause, whether "me", "myself" or "my life" is in it (a death or dose applied to oneself).</summary>
        public bool[] HasSelfObject { get; }

        public bool[] IsPast { get; }

        public bool[] HasNumber { get; }

        public bool[] Stockpile { get; }

        public int[] FirstDrug { get; }

        public int FirstDrugInMessage { get; }

        public bool SaysJump { get; }

        /// <summary>Gets whether the message laughs ("lol", "lmao", "haha", "jk").</summary>
        public bool Laughs { get; }

        public bool SaysPlan { get; }

        /// <summary>Gets whether the message speaks of blood or bleeding.</summary>
        public bool SaysBleeding { get; }

        public bool SaysJustOrNow { get; }

        /// <summary>Gets whether a year is named as a time ("in 2015", "back in 1998").</summary>
        public bool HasYear { get; }

        /// <summary>Gets whether a year starts something ongoing ("since 2019").</summary>
        public bool SaysSinceYear { get; }

        /// <summary>Gets whether the message says "when i was" (told as the writer's past).</summary>
        public bool SaysWhenIWas { get; }

        /// <summary>
        /// A count of things ("20", "thirty"): five or more, and not a clock time, a year, an age or a measure ("at 10",
        /// "10 pm", "500 mg", "22 years", "in 2015").
        /// </summary>
        private static bool IsCount(string[] w, int i)
        {
            bool number = NumberWords.Contains(w[i])
                || (w[i].Length is > 0 and <= 3 && int.TryParse(w[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 5);
            if (!number)
            {
                return false;
            }

            bool timeBefore = i > 0 && w[i - 1] is "at" or "by" or "around" or "till" or "until" or "before" or "after" or "since" or "was" or "aged" or "age" or "past";
            bool unitAfter = i + 1 < w.Length && w[i + 1] is "am" or "pm" or "oclock" or "o" or "mg" or "ml" or "g" or "kg" or "lbs" or "lb" or "min" or "mins" or "minutes"
                or "hour" or "hours" or "hrs" or "hr" or "day" or "days" or "week" or "weeks" or "month" or "months" or "year" or "years" or "yrs" or "yo" or "percent"
                or "degrees" or "miles" or "km" or "meters" or "metres" or "feet" or "ft" or "stories" or "floors" or "times" or "pounds" or "dollars" or "quid" or "bucks";
            return !timeBefore && !unitAfter;
        }

        /// <summary>A medicine's name by its pharmacological suffix ("zopiclone", "sertraline", "propranolol"), in any list or none.</summary>
        private static bool IsDrugName(string word)
        {
            if (word.Length < 6)
            {
                return false;
            }

            foreach (string suffix in DrugSuffixes)
            {
                if (word.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The hits of one turn, with idiom-covered words set aside, indexed by clause, by first word and by class so that
    /// every query costs the hits of one clause or of one position, never the whole message: the analysis stays linear.
    /// </summary>
    private sealed class HitView
    {
        private static readonly List<ConstructHit> NoHits = [];
        private readonly List<ConstructHit>[] _byClause;
        private readonly List<ConstructHit>[] _allByClause;
        private readonly List<ConstructHit>?[] _byStart;
        private readonly bool[] _present;
        private readonly bool[] _presentSpecific;

        public HitView(CrisisTokens tokens, List<ConstructHit> hits, int idiom, int classCount)
        {
            Tokens = tokens;
            Facts = new ClauseFacts(tokens);
            bool[] masked = new bool[tokens.Count];
            foreach (ConstructHit h in hits)
            {
                if (h.Class == idiom)
                {
                    IdiomCount++;
                    for (int i = h.Start; i < h.End; i++)
                    {
                        masked[i] = true;
                    }
                }
            }

            _byClause = new List<ConstructHit>[tokens.ClauseCount];
            _allByClause = new List<ConstructHit>[tokens.ClauseCount];
            // Most clauses of a long message have no hit: they share one empty list (never added to) instead of two each.
            Array.Fill(_byClause, NoHits);
            Array.Fill(_allByClause, NoHits);

            _byStart = new List<ConstructHit>?[tokens.Count];
            _present = new bool[classCount];
            _presentSpecific = new bool[classCount];
            foreach (ConstructHit h in hits)
            {
                Own(_allByClause, tokens.Clause[h.Start]).Add(h);
                bool isMasked = false;
                for (int i = h.Start; i < h.End && !isMasked; i++)
                {
                    isMasked = masked[i];
                }

                if (h.Class == idiom || isMasked)
                {
                    continue;
                }

                Kept.Add(h);
                Own(_byClause, tokens.Clause[h.Start]).Add(h);
                (_byStart[h.Start] ??= []).Add(h);
                _present[h.Class] = true;
                _presentSpecific[h.Class] |= h.Specific;
            }
        }

        public CrisisTokens Tokens { get; }

        public ClauseFacts Facts { get; }

        public int IdiomCount { get; }

        public List<ConstructHit> Kept { get; } = [];

        public bool Any(int cls) => _present[cls];

        public bool AnySpecific(int cls) => _presentSpecific[cls];

        public bool AnyRisk(int[] classes) => Array.Exists(classes, c => _presentSpecific[c]);

        public bool InClause(int cls, int clause) => _present[cls] && _byClause[clause].Exists(h => h.Class == cls);

        public bool InClauseSpecific(int cls, int clause) => _presentSpecific[cls] && _byClause[clause].Exists(h => h.Class == cls && h.Specific);

        public bool InClauseBefore(int cls, int clause, int before) => _present[cls] && _byClause[clause].Exists(h => h.Class == cls && h.End <= before);

        public bool StartsAt(int cls, int start) => _present[cls] && _byStart[start] is { } list && list.Exists(h => h.Class == cls);

        /// <summary>Whether a hit of the class overlaps <paramref name="other"/> (phrases are at most <see cref="ConstructLexicon.MaxPhraseWords"/> words).</summary>
        public bool Overlaps(int cls, ConstructHit other)
        {
            if (!_present[cls])
            {
                return false;
            }

            for (int start = Math.Max(0, other.Start - ConstructLexicon.MaxPhraseWords); start < other.End; start++)
            {
                if (_byStart[start] is { } list && list.Exists(h => h.Class == cls && h.End > other.Start))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a hit of the class ends right before <paramref name="position"/> (at it or one word earlier).</summary>
        public bool EndsJustBefore(int cls, int position)
        {
            if (!_present[cls])
            {
                return false;
            }

            for (int start = Math.Max(0, position - ConstructLexicon.MaxPhraseWords - 1); start < position; start++)
            {
                if (_byStart[start] is { } list && list.Exists(h => h.Class == cls && h.End >= position - 1 && h.End <= position))
                {
                    return true;
                }
            }

            return false;
        }

        public ConstructHit? FirstInClause(int cls, int clause)
        {
            if (_present[cls])
            {
                foreach (ConstructHit h in _byClause[clause])
                {
                    if (h.Class == cls)
                    {
                        return h;
                    }
                }
            }

            return null;
        }

        public IEnumerable<ConstructHit> InClauseHits(int cls, int clause, bool includeIdioms = false)
        {
            List<ConstructHit> hits = includeIdioms ? _allByClause[clause] : _byClause[clause];
            return hits.Count == 0 ? [] : Filter(hits, cls);
        }

        private static List<ConstructHit> Own(List<ConstructHit>[] lists, int clause) =>
            ReferenceEquals(lists[clause], NoHits) ? lists[clause] = [] : lists[clause];

        private static IEnumerable<ConstructHit> Filter(List<ConstructHit> hits, int cls)
        {
            foreach (ConstructHit h in hits)
            {
                if (h.Class == cls)
                {
                    yield return h;
                }
            }
        }
    }
}
