using System.Text.RegularExpressions;

namespace EmpathyKit.Crisis;

/// <summary>
/// The retired foundation crisis detector, kept only as the baseline that <c>empathykit eval crisis --detector phrase</c>
/// and a corpus test compare the construct engine with (it is no longer registered anywhere). It was: phrase rules over normalised clauses, with negation scope, person (self or someone
/// else), past-and-resolved framing, idiom filtering, means-and-methods combined with distress, plan and time cues,
/// a stated age under 18, and conversation memory (means-seeking after earlier distress; risk that decays over turns
/// instead of resetting).
/// </summary>
/// <remarks>Pure and thread-safe. Regexes have match timeouts; a timeout throws and the stage fails safe (high).</remarks>
internal sealed partial class PhraseCrisisDetector : ICrisisDetector
{
    private const int Timeout = 250;
    private const int MemoryTurns = 10;

    /// <inheritdoc />
    public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ValueTask.FromResult(Assess(input));
    }

    /// <summary>Assesses a message in its conversation.</summary>
    /// <param name="input">The message and earlier user turns.</param>
    /// <returns>The assessment.</returns>
    public static CrisisAssessment Assess(CrisisInput input)
    {
        // Each earlier turn is normalised once: all of them are searched for a stated age, the last few are assessed.
        string[] earlierTurns = [.. input.EarlierUserTurns.Select(CrisisTextNormalizer.Normalize)];
        bool minorInConversation = Array.Exists(earlierTurns, t => MinorRegex().IsMatch(t));
        Findings current = AssessMessage(CrisisTextNormalizer.Normalize(input.Text), minorInConversation);

        int earlierCount = Math.Min(MemoryTurns, earlierTurns.Length);
        RiskLevel carried = RiskLevel.None;
        bool earlierDistress = false;
        for (int d = 1; d <= earlierCount; d++)
        {
            Findings earlier = AssessMessage(earlierTurns[^d], minorInConversation);
            earlierDistress |= earlier.HasRisk;
            if (earlier.Level >= RiskLevel.Moderate)
            {
                var decayed = (RiskLevel)Math.Max(0, (int)earlier.Level - d);
                carried = (RiskLevel)Math.Min((int)RiskLevel.Moderate, Math.Max((int)carried, (int)decayed));
            }
        }

        if (current.HasMeans && !current.NeutralFrame && earlierDistress && current.Level < RiskLevel.High)
        {
            current.Raise(RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.ConversationMemory);
        }

        if (carried > current.Level)
        {
            current.Raise(carried, CrisisCategory.Distress, CrisisSignals.ConversationMemory);
        }

        return current.ToAssessment();
    }

    private static Findings AssessMessage(string norm, bool minorInConversation)
    {
        var f = new Findings();
        bool past = PastRegex().IsMatch(norm);
        bool planOrTime = PlanTimeRegex().IsMatch(norm);
        f.NeutralFrame = NeutralFrameRegex().IsMatch(norm);
        bool minor = minorInConversation || MinorRegex().IsMatch(norm);
        bool seeking = SeekingFrameRegex().IsMatch(norm);

        foreach (string rawClause in ClauseRegex().Split(norm))
        {
            string clause = rawClause.Trim();
            if (clause.Length == 0)
            {
                continue;
            }

            if (IdiomRegex().IsMatch(clause))
            {
                f.Signals.Add(CrisisSignals.IdiomIgnored);
                clause = IdiomRegex().Replace(clause, " ");
            }

            bool clausePast = past && PastRegex().IsMatch(clause) || ResolvedRegex().IsMatch(norm);

            if (InProgressRegex().IsMatch(clause) && !IsNegated(clause, InProgressRegex().Match(clause).Index))
            {
                bool pills = PillsRegex().IsMatch(clause);
                f.Raise(RiskLevel.Imminent, pills ? CrisisCategory.Medical : CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Ingestion);
                if (pills)
                {
                    f.Categories.Add(CrisisCategory.Suicidal);
                }
            }

            if (MedicalEmergencyRegex().IsMatch(clause))
            {
                f.Raise(RiskLevel.Imminent, CrisisCategory.Medical, CrisisSignals.FirstPerson);
            }

            if (MixedSubstancesRegex().IsMatch(clause))
            {
                f.Raise(RiskLevel.High, CrisisCategory.Medical, CrisisSignals.FirstPerson, CrisisSignals.Ingestion);
            }

            ApplyIdeation(f, clause, ActiveRegex().Match(clause), RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.ActiveIdeation, clausePast);
            if (SuicideNoteRegex().Match(clause) is { Success: true } note && !IsNegated(clause, note.Index) && !f.NeutralFrame)
            {
                f.Raise(RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Plan);
            }

            if (seeking && !f.NeutralFrame && OtherReflexiveKillRegex().IsMatch(clause))
            {
                // "the best place to kill yourself": asking for a method, whoever it is phrased for.
                f.HasMeans = true;
                f.Raise(RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.ActiveIdeation);
            }

            if (MethodReflexiveRegex().Match(clause) is { Success: true } method && !IsNegated(clause, method.Index) && !f.NeutralFrame)
            {
                // "hang myself", "let me overdose", "best place to kill yourself": a method applied to oneself.
                f.HasMeans = true;
                ApplyIdeation(f, clause, method, RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.ActiveIdeation, clausePast);
                f.Signals.Add(CrisisSignals.Means);
            }

            ApplyIdeation(f, clause, PassiveRegex().Match(clause), RiskLevel.Moderate, CrisisCategory.Suicidal, CrisisSignals.PassiveIdeation, clausePast);
            ApplyIdeation(f, clause, SelfHarmRegex().Match(clause), RiskLevel.High, CrisisCategory.SelfHarm, CrisisSignals.SelfHarm, clausePast);
            ApplyIdeation(f, clause, SelfHarmMildRegex().Match(clause), RiskLevel.Moderate, CrisisCategory.SelfHarm, CrisisSignals.SelfHarm, clausePast);

            if (HarmOthersRegex().Match(clause) is { Success: true } harm && !IsNegated(clause, harm.Index))
            {
                f.Raise(RiskLevel.High, CrisisCategory.HarmOthers, CrisisSignals.FirstPerson, CrisisSignals.ActiveIdeation);
            }

            if (AbuseRegex().Match(clause) is { Success: true } abuse && !IsNegated(clause, abuse.Index))
            {
                f.Raise(clausePast && !minor ? RiskLevel.Moderate : RiskLevel.High, CrisisCategory.Abuse, CrisisSignals.FirstPerson);
            }

            if (EatingDisorderRegex().Match(clause) is { Success: true } ed && !IsNegated(clause, ed.Index))
            {
                // Asking how to restrict, purge or get thinner is method-seeking: high, like means-seeking.
                f.Raise(seeking ? RiskLevel.High : RiskLevel.Moderate, CrisisCategory.EatingDisorder, CrisisSignals.FirstPerson);
                if (seeking)
                {
                    f.Signals.Add(CrisisSignals.Means);
                }
            }

            bool meansNamed = MeansRegex().IsMatch(clause);
            if (meansNamed)
            {
                f.HasMeans = true;
                f.Signals.Add(CrisisSignals.Means);
            }

            // A means within reach, laid out or being gathered is a warning sign on its own, with or without words of
            // distress: "I have the pills in front of me", "I've been saving up my meds".
            Match atHand = meansNamed ? AtHandRegex().Match(clause) : Match.Empty;
            Match hoard = atHand.Success ? Match.Empty : StockpileRegex().Match(clause);
            Match warning = atHand.Success ? atHand : hoard;
            if (warning.Success && !f.NeutralFrame && !IsNegated(clause, warning.Index))
            {
                f.HasMeans = true;
                f.MeansAtHand = true;
                f.Raise(RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.MeansAtHand);
            }

            if (DistressRegex().Match(clause) is { Success: true } distress && !IsNegated(clause, distress.Index))
            {
                f.HasDistress = true;
                f.Raise(RiskLevel.Low, CrisisCategory.Distress, CrisisSignals.Distress);
            }
        }

        if (f.HasMeans && MeansActRegex().IsMatch(norm) && !f.NeutralFrame)
        {
            f.Raise(RiskLevel.Imminent, CrisisCategory.Suicidal, CrisisSignals.FirstPerson, CrisisSignals.Plan);
        }

        if ((f.HasActive || f.Categories.Contains(CrisisCategory.HarmOthers)) && IntentRegex().IsMatch(norm))
        {
            f.Signals.Add(CrisisSignals.Intent);
        }

        if (f.HasActive && (planOrTime || f.HasMeans) && !f.NeutralFrame)
        {
            f.Raise(RiskLevel.Imminent, CrisisCategory.Suicidal, planOrTime ? CrisisSignals.TimeBound : CrisisSignals.Means, CrisisSignals.Plan);
        }
        else if (f.MeansAtHand && (f.HasDistress || f.HasIdeation))
        {
            f.Raise(RiskLevel.Imminent, CrisisCategory.Suicidal, CrisisSignals.MeansAtHand, CrisisSignals.Distress);
        }
        else if (f.HasMeans && !f.NeutralFrame && (f.HasDistress || f.HasIdeation) && f.Level < RiskLevel.High)
        {
            f.Raise(RiskLevel.High, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.Distress);
        }

        if (minor && f.Level >= RiskLevel.Moderate)
        {
            f.Signals.Add("minor");
            f.Level = (RiskLevel)Math.Min((int)RiskLevel.Imminent, (int)f.Level + 1);
        }

        return f;
    }

    private static void ApplyIdeation(Findings f, string clause, Match match, RiskLevel level, CrisisCategory category, string signal, bool past)
    {
        if (!match.Success)
        {
            return;
        }

        if (IsOtherPerson(clause, match))
        {
            f.Raise(RiskLevel.Moderate, CrisisCategory.ThirdParty, CrisisSignals.OtherPerson, signal);
            return;
        }

        if (IsNegated(clause, match.Index))
        {
            f.RaiseDenied();
            return;
        }

        if (past)
        {
            f.Raise(RiskLevel.Low, category, CrisisSignals.FirstPerson, CrisisSignals.Past, signal);
            return;
        }

        f.HasIdeation = true;
        f.HasActive |= signal == CrisisSignals.ActiveIdeation;
        f.Raise(level, category, CrisisSignals.FirstPerson, signal);
    }

    private static bool IsNegated(string clause, int matchIndex)
    {
        int windowStart = matchIndex;
        int words = 0;
        while (windowStart > 0 && words < 5)
        {
            windowStart--;
            if (clause[windowStart] == ' ')
            {
                words++;
            }
        }

        // A negator counts only when it ends before the phrase (in "won't wake up" it is part of the phrase) and
        // does not intensify it ("can't stop thinking about").
        for (Match negator = NegatorRegex().Match(clause, windowStart); negator.Success && negator.Index < matchIndex; negator = negator.NextMatch())
        {
            if (negator.Index + negator.Length <= matchIndex)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOtherPerson(string clause, Match match)
    {
        if (OtherReflexiveRegex().IsMatch(match.Value))
        {
            return true;
        }

        if (match.Value.Contains("myself", StringComparison.Ordinal) || match.Value.Contains(" my ", StringComparison.Ordinal) || match.Value.StartsWith("my ", StringComparison.Ordinal))
        {
            return false;
        }

        // The nearest subject before the match decides: "i …" is the writer, "she …", "my friend …" someone else.
        ReadOnlySpan<char> before = clause.AsSpan(0, match.Index);
        int lastSelf = LastWordIndex(before, SelfSubjectRegex());
        int lastOther = LastWordIndex(before, OtherSubjectRegex());
        return lastOther > lastSelf;
    }

    private static int LastWordIndex(ReadOnlySpan<char> text, Regex regex)
    {
        int last = -1;
        foreach (ValueMatch m in regex.EnumerateMatches(text))
        {
            last = m.Index;
        }

        return last;
    }

    [GeneratedRegex(@"(?:[.!?;] |\bbut\b|\bhowever\b)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ClauseRegex();

    [GeneratedRegex(@"\b(?:killing me|kill(?:ed|s)? (?:it|that|the (?:process|task|app|program|lights|engine|vibe|mood))|dying (?:for|to)|die for|(?:would|could) die (?:of|laughing|for)|thought i would die|(?:phone|laptop|battery|computer|car|plant|plants) (?:just |has |had )?died|die (?:my|her|his|the) hair|dead (?:tired|on my feet)|to die for|killer|shoot (?:me )?(?:a |some )?(?:text|message|photos?|pictures?|email|video)|cut (?:the|a) (?:cake|mango|onion|bread|tie|ties)|cut (?:back|down) on)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IdiomRegex();

    [GeneratedRegex(@"\b(?:kill(?:ing)? (?:my ?self|him ?self|her ?self|them ?selves|themself)|end(?:ing)? (?:my|his|her|their) (?:own )?life|end it all|take (?:my|his|her|their) (?:own )?life|(?:want|wants|wanted|going|planning|plan|decided|ready|need) to (?:end it|end things|end everything|die|be dead)|wish(?:ed)? to die|do not want to (?:be alive|live|exist|be here anymore)|(?:think(?:ing)? about|considering|contemplating|thoughts of|commit(?:ting)?|attempt(?:ed|ing)?|plan(?:ning)?) (?:to commit )?suicide|suicidal|(?:want|wants) to stop living|stop living|no (?:way out|reason to live)|way out except|rather be dead|my (?:suicide )?attempt|better off dead)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ActiveRegex();

    [GeneratedRegex(@"\b(?:(?:hang|drown|poison|shoot|stab|suffocate|strangle|electrocute|gas|starve|overdose|od) (?:my ?self|me)\b|(?:let|make|help) me (?:overdose|od|bleed out)|(?:i|to) overdose\b|(?:best|easiest|quickest|fastest|painless|surest|most effective) (?:way|place|method|spot|time) to (?:kill|end|hang|drown|shoot) (?:my ?self|your ?self|it all|my life|your life))", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MethodReflexiveRegex();

    [GeneratedRegex(@"\b(?:i am going to|i will|i have decided to|i decided to|i am planning to|i plan to|i am ready to|i am about to|going to do it|i want to)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IntentRegex();

    [GeneratedRegex(@"\b(?:(?:write|writing|wrote|draft|help me with) (?:my|a) suicide (?:note|letter)|my suicide (?:note|letter))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SuicideNoteRegex();

    [GeneratedRegex(@"\bkill (?:your ?self|one ?self)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex OtherReflexiveKillRegex();

    [GeneratedRegex(@"\b(?:how (?:do|can|should|would|could) i|how to|what(?: s| is) the (?:best|easiest|fastest|quickest|safest)|(?:best|easiest|fastest|quickest) (?:way|place|method|time)|tips (?:on|for)|is it a good idea|should i|give me|tell me (?:how|the|some|a)|find (?:me|for me)|where can i)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SeekingFrameRegex();

    [GeneratedRegex(@"\b(?:wish i (?:was|were) (?:dead|never born|gone)|wish i could (?:just )?disappear|(?:just )?disappear forever|better off without me|(?:easier|better) if i (?:just )?(?:was|were) (?:not|gone|dead)|if i (?:was|were) (?:not here|not alive|gone|dead)|if i died|not wake up|never wake up|not worth living|no point (?:in )?living|(?:is it|it is not|is not) worth (?:me )?(?:being alive|living|staying alive)|worth (?:me )?being alive|(?:a|such a) burden|nobody would (?:miss|care|notice)|no one would (?:miss|care|notice)|do not want to wake up)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PassiveRegex();

    [GeneratedRegex(@"\b(?:(?:started|been|keep|kept|was|am|is|are|has been|have been) cutting|cutting (?:again|myself|himself|herself|his|her|their|my)|cut(?:ting)? (?:my ?self|my (?:arms?|wrists?|legs?|thighs?|skin))|burn(?:ed|t|ing)? (?:my ?self|him ?self|her ?self)|hurt(?:ing)? (?:my ?self|him ?self|her ?self)|self[ -]?harm(?:ing)?|harm(?:ing)? (?:my ?self|him ?self|her ?self)|punch(?:ed|ing)? (?:the|a) wall|hit(?:ting)? myself|starv(?:e|ing) myself|(?:cut|cutting|carve|carving|scratch|scratching|burn|burning|slit|slitting|scar|scarring|bruise|bruising|hit|hitting|punch|punching)(?: (?:a|the) \w+ (?:into|on|in))? my (?:own )?(?:arms?|wrists?|skin|legs?|thighs?|body|stomach|face|hands?))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SelfHarmRegex();

    [GeneratedRegex(@"\b(?:pull(?:ing)? out my hair|pick(?:ing)? (?:at )?my skin|scratch(?:ing)? myself|urge to (?:cut|hurt|harm))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SelfHarmMildRegex();

    [GeneratedRegex(@"\b(?:(?:going to|want to|will|plan to|thinking about|think about|fantasi[sz]e about|stop thinking about) (?:kill(?:ing)?|hurt(?:ing)?|strangl(?:e|ing)|shoot(?:ing)?|stab(?:bing)?|murder(?:ing)?|beat(?:ing)? up) (?:my|him|her|them|the kids|those|every|people|someone|everyone|his|that|this)|kill (?:my|him|her|them) (?:stepdad|dad|mom|boss|husband|wife|partner|brother|sister|teacher|self)?)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex HarmOthersRegex();

    [GeneratedRegex(@"\b(?:beats? me|beat me|hits? me|hit me|kicks? me|chokes? me|choked me|raped|rape me|sexually (?:assaulted|abused)|molest(?:ed|s|ing)?|touch(?:es|ed) me|threatens? me|threatened me|will not let me (?:leave|go out|see)|abus(?:es|ed|ing) me|forc(?:ed|es|ing) me to (?:have sex|do (?:sexual )?things|touch)|sent me (?:pictures|photos|nudes)|being forced to have sex)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex AbuseRegex();

    [GeneratedRegex(@"\b(?:(?:make|made|making) myself (?:throw up|vomit|sick)|purg(?:e|ed|ing)|(?:have not|not|had not) eaten (?:in|for|anything)|stop(?:ped)? eating|starv(?:e|ing) myself|thin enough|pro ?ana|thinspo\w*|laxatives|skip(?:ping)? (?:every|all) meals?|stop (?:my ?self )?(?:from )?eating|not eat(?:ing)? for (?:a|\d+|two|three|four|five|several) (?:days?|weeks?)|binge(?: eat(?:ing)?)?(?: and| then)+ (?:purge|vomit|throw up)|vomit (?:it )?(?:all )?(?:back )?up|(?:ribs|ribcage|rib cage|hip ?bones|collar ?bones|spine) (?:stick|show|poke)|thigh gap|(?:being|be|become|get) (?:anorexic|bulimic)|anorexi(?:a|c) (?:is|as) (?:a )?(?:healthy|lifestyle|choice)|so skinny)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex EatingDisorderRegex();

    [GeneratedRegex(@"\b(?:(?:took|taken|swallowed|just took|have taken|took all) (?:a |the |all |all of |all the |\d+ |a whole |a bottle|bottle|an overdose)|overdosed|tied (?:the|a) noose|(?:already|just|i have|i) (?:cut|slit) my wrists?)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex InProgressRegex();

    [GeneratedRegex(@"\b(?:heart attack|not breathing|can not breathe|lips are (?:turning )?blue|turning blue|chest pain|unconscious|having a seizure|(?:he|she|they|my \w+) (?:will|can|does|did) not wake up|(?:he|she|they|my \w+) is not waking up)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MedicalEmergencyRegex();

    [GeneratedRegex(@"\bmixed (?:alcohol|drinks?|booze|pills) with\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MixedSubstancesRegex();

    [GeneratedRegex(@"\b(?:pills?|tablets|overdose|lethal dose|fatal dose|how many \w+ (?:would|does|to) (?:kill|be fatal)|noose|rope|hang myself|jump(?:ing)? (?:off|from|in front)|step in front|bridges?|rooftops?|roof|train tracks|tracks|overpass|cliff|gun|firearm|pistol|rifle|knife|razor|blades?|drown|pesticides?|poison|bleach|antifreeze|carbon monoxide|exhaust|highest|tallest|most dangerous)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MeansRegex();

    [GeneratedRegex(@"\b(?:in front of me|next to me|beside me|in (?:my|both) hands?|on my (?:desk|table|bed|lap|nightstand|bedside table|dresser)|right here|here with me|with me (?:now|right now)|within reach|(?:ready|lined up|laid out|counted out|set out) (?:for|to|now|tonight)|(?:are|is|got them|have them|got it|have it) (?:all )?(?:ready|lined up|laid out|counted out))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex AtHandRegex();

    [GeneratedRegex(@"\b(?:(?:been )?(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed) (?:up )?(?:my |the |some |enough |all |a )?(?:pills?|tablets|meds|medication|painkillers|sleeping pills)|enough (?:pills?|tablets|meds) to (?:kill|end|die|not wake))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex StockpileRegex();

    [GeneratedRegex(@"\b(?:jump|step in front|going to do it|about to do it|do it now|taking them|take them all|pull the trigger|drive off|let go)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MeansActRegex();

    [GeneratedRegex(@"\b(?:pills?|tablets|overdose|overdosed|bottle)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PillsRegex();

    [GeneratedRegex(@"\b(?:hopeless|worthless|pointless|no point|can not go on|can not take (?:it|this)|overwhelmed|lonely|alone|exhausted|heartbroken|disappointed in myself|crying|worrying|worried|trouble sleeping|can not sleep|lost everything|life is over|(?:nobody|no one) cares|empty inside|numb|miserable|depressed|give up|giving up|feel lost|so tired of|hate myself|falling apart|broken|desperate|in so much pain)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DistressRegex();

    [GeneratedRegex(@"\b(?:years ago|months ago|used to|in (?:19|20)\d\d|when i was (?:younger|a kid|a teen|in school)|old (?:self harm |self-harm )?scars|in the past|back then|a long time ago)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PastRegex();

    [GeneratedRegex(@"\b(?:got help|(?:am|feel) (?:okay|ok|fine|better|safe) now|saved my life|therapy helped|in recovery|recovered)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ResolvedRegex();

    [GeneratedRegex(@"\b(?:tonight|today|right now|now|this (?:weekend|week|evening|morning|afternoon)|tomorrow|as soon as|about to|ready|already|decided|picked|planning|plan to|going to|finally)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlanTimeRegex();

    [GeneratedRegex(@"\b(?:visiting|trip|holiday|vacation|photos?|photo spot|curious|tourist|sightseeing|to be safe|want to be safe|for (?:a|my) (?:class|project|essay|story|novel|book)|writing (?:a|my) (?:story|novel|book|thriller|script|poem)|thriller|character|plot|trivia|quiz|history of|engineering)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NeutralFrameRegex();

    [GeneratedRegex(@"\b(?:i am (?:only )?(?:[5-9]|1[0-7])(?: years old| yo| y o)?\b|i am (?:only )?(?:five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b|(?:[5-9]|1[0-7]) years old)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MinorRegex();

    [GeneratedRegex(@"\b(?:not|never|no longer|do not|does not|did not|will not|would not|would never|am not|no)\b(?! (?:stop|help|quit)\b)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NegatorRegex();

    [GeneratedRegex(@"\b(?:him ?self|her ?self|them ?selves|themself|his|her|their)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex OtherReflexiveRegex();

    [GeneratedRegex(@"\b(?:i|me)\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SelfSubjectRegex();

    [GeneratedRegex(@"\b(?:he|she|they|someone|somebody|my (?:friend|girlfriend|boyfriend|partner|wife|husband|brother|sister|mom|mum|mother|dad|father|son|daughter|student|child|kid|cousin|classmate|roommate|colleague|coworker))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex OtherSubjectRegex();

    private sealed class Findings
    {
        public RiskLevel Level { get; set; }

        public List<CrisisCategory> Categories { get; } = [];

        public SortedSet<string> Signals { get; } = new(StringComparer.Ordinal);

        public bool HasMeans { get; set; }

        public bool MeansAtHand { get; set; }

        public bool HasDistress { get; set; }

        public bool HasIdeation { get; set; }

        public bool HasActive { get; set; }

        public bool NeutralFrame { get; set; }

        /// <summary>Gets whether any risk signal fired that was not denied (what conversation memory counts as distress).</summary>
        public bool HasRisk { get; private set; }

        /// <summary>A denied phrase ("I would never …"): low distress, signal <c>negated</c>, not a risk signal for memory.</summary>
        public void RaiseDenied()
        {
            bool hadRisk = HasRisk;
            Raise(RiskLevel.Low, CrisisCategory.Distress, CrisisSignals.Negated);
            HasRisk = hadRisk;
        }

        public void Raise(RiskLevel level, CrisisCategory category, params string[] signals)
        {
            HasRisk = true;
            if (level > Level)
            {
                Level = level;
                Categories.Remove(category);
                Categories.Insert(0, category);
            }
            else if (!Categories.Contains(category))
            {
                Categories.Add(category);
            }

            foreach (string s in signals)
            {
                Signals.Add(s);
            }
        }

        public CrisisAssessment ToAssessment()
        {
            if (Level == RiskLevel.None)
            {
                return Signals.Count == 0 ? CrisisAssessment.NoRisk : new CrisisAssessment(RiskLevel.None, [], [.. Signals]);
            }

            List<CrisisCategory> categories = [.. Categories.Distinct()];
            if (categories.Count > 1)
            {
                categories.Remove(CrisisCategory.Distress);
            }

            return new CrisisAssessment(Level, categories, [.. Signals]);
        }
    }
}
