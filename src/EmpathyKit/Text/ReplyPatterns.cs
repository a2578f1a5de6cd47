using System.Buffers;
using System.Text.RegularExpressions;
using EmpathyKit.Pii;

namespace EmpathyKit.Text;

/// <summary>
/// The anti-pattern checks a bot reply is held to: means or method, diagnosis, medication advice, toxic positivity,
/// minimising, unsolicited advice in the first turns, secrecy, claims to be human, dependence, stigma, collusion and
/// leaked placeholders; and what a user's message asks for (advice, a diagnosis or medication).
/// </summary>
/// <remarks>
/// <para>Shared by several features, so it lives with the other text rules rather than in any one of them: the output
/// guard blocks the anti-patterns, the empathy scorer flags them, the offline responder keeps its reflections clear of
/// them, and the disclaimer policy and the system prompt builder read what the user asked for.</para>
/// <para>Pure and thread-safe; every pattern is source-generated with a 250 ms timeout. A timed-out check is retried once (a
/// pattern's first use on a starved machine can pass the limit while it is compiled); a second timeout throws, and the
/// guard stage fails closed. The heaviest patterns run only when one of their cue words is present. Typographic
/// apostrophes are folded first. Patterns are written for the bot's voice (second person, advice and claims), not the
/// user's.</para>
/// </remarks>
internal static partial class ReplyPatterns
{
    private const int Timeout = 250;

    /// <summary>
    /// The conditions a diagnosis names. Every top-level alternative must contain a word of <see cref="ConditionCues"/>
    /// (a test checks), because the diagnosis pattern runs only when one is present.
    /// </summary>
    internal const string Conditions =
        @"(?:clinical |major |severe |manic |postnatal |postpartum )?(?:depression|depressive disorder|bpd|borderline(?: personality disorder)?|bipolar(?: disorder)?|adhd|add|ptsd|c-ptsd|ocd|an? (?:anxiety|eating|personality|mood|panic|psychotic|attachment) disorder|generali[sz]ed anxiety(?: disorder)?|gad|schizophrenia|psychosis|autism|asperger'?s|anorexia|bulimia|binge eating disorder|narcissistic personality disorder|npd|dissociative identity disorder|did|hypochondria|dysthymia)";

    /// <summary>
    /// The medications advice can name. Every top-level alternative must contain a word of
    /// <see cref="MedicationCues"/> (a test checks), because the medication-advice pattern runs only when one is present.
    /// </summary>
    internal const string Medications =
        @"(?:sertraline|fluoxetine|citalopram|escitalopram|paroxetine|venlafaxine|duloxetine|mirtazapine|bupropion|lithium|quetiapine|olanzapine|risperidone|aripiprazole|lamotrigine|valproate|diazepam|lorazepam|alprazolam|clonazepam|zolpidem|zopiclone|trazodone|amitriptyline|nortriptyline|propranolol|paracetamol|acetaminophen|ibuprofen|aspirin|tylenol|xanax|valium|prozac|zoloft|lexapro|wellbutrin|seroquel|ambien|adderall|ritalin|methylphenidate|melatonin|benadryl|diphenhydramine|codeine|tramadol|oxycodone|gabapentin|pregabalin|an? (?:antidepressant|ssri|benzo(?:diazepine)?|sleeping pill|sedative|anti-?psychotic)s?|antidepressants|ssris|benzos|sleeping (?:pill|tablet)s|sedatives|painkillers?|an? sleeping tablet)";

    /// <summary>
    /// The diagnosing frame "you have …", "you've (clearly) got …", "you're suffering from …", "you're showing signs of …",
    /// shared by the diagnosis patterns. A frame that reports the person's worry ("worried you might have …") is not one.
    /// </summary>
    private const string YouHave = @"(?<!\b(?:worried|afraid|scared|wondering|wonder|fear|unsure|asking|whether|if)(?: if| whether| that)? )\byou(?:(?:'ve| have)? (?:probably |likely |clearly |definitely |obviously |certainly )?got|(?:'re| are) (?:probably |likely |clearly |definitely |obviously |certainly )?(?:suffering from|showing (?:all )?(?:the )?(?:classic |typical |clear )?(?:signs|symptoms) of)| (?:probably |might |may |likely |clearly |definitely |could |obviously |must |certainly )?(?:have|suffer from|meet the criteria for|fit the criteria for|show (?:all )?the (?:signs|symptoms) of))";

    /// <summary>The labels "you're …" diagnoses with; held to <see cref="ConditionCues"/> like <see cref="Conditions"/>.</summary>
    internal const string DiagnosticAdjectives =
        @"(?:bipolar|schizophrenic|psychotic|autistic|anorexic|bulimic|narcissistic|a narcissist|borderline|clinically depressed)";

    /// <summary>
    /// Substrings one of which every match of <see cref="DiagnosisRegex"/> contains: each of its branches ends in
    /// <see cref="Conditions"/> or <see cref="DiagnosticAdjectives"/>, or says "diagnosis". A reply without any is not
    /// run through the pattern (most replies, so most of its cost is saved).
    /// </summary>
    internal static readonly string[] ConditionCueWords =
    [
        "depress", "bpd", "borderline", "bipolar", "adhd", "add", "ptsd", "ocd", "disorder", "anxiety", "gad", "schizo",
        "psycho", "autis", "asperger", "anorexi", "bulimi", "narcissis", "npd", "did", "hypochondri", "dysthymi", "diagnos",
    ];

    /// <summary>
    /// Substrings one of which every match of <see cref="MedicationAdviceRegex"/> contains: both of its branches name a
    /// <see cref="Medications"/> entry.
    /// </summary>
    internal static readonly string[] MedicationCueWords =
    [
        "sertraline", "fluoxetine", "citalopram", "paroxetine", "venlafaxine", "duloxetine", "mirtazapine", "bupropion",
        "lithium", "quetiapine", "olanzapine", "risperidone", "aripiprazole", "lamotrigine", "valproate", "diazepam",
        "lorazepam", "alprazolam", "clonazepam", "zolpidem", "zopiclone", "trazodone", "triptyline", "propranolol",
        "paracetamol", "acetaminophen", "ibuprofen", "aspirin", "tylenol", "xanax", "valium", "prozac", "zoloft", "lexapro",
        "wellbutrin", "seroquel", "ambien", "adderall", "ritalin", "methylphenidate", "melatonin", "benadryl",
        "diphenhydramine", "codeine", "tramadol", "oxycodone", "gabapentin", "pregabalin", "antidepressant", "ssri", "benzo",
        "sleeping pill", "sleeping tablet", "sedative", "psychotic", "painkiller",
    ];

    private static readonly SearchValues<string> ConditionCues = SearchValues.Create(ConditionCueWords, StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> MedicationCues = SearchValues.Create(MedicationCueWords, StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds every blocking anti-pattern in a reply (or one sentence of it).</summary>
    /// <param name="text">The reply text.</param>
    /// <param name="context">What is known of the turn.</param>
    /// <param name="adviceFreeTurns">How many first turns must be free of unsolicited advice.</param>
    /// <param name="found">Receives the violation names, in a fixed order, without duplicates.</param>
    /// <remarks>
    /// A pattern that times out is retried once (the first use of a pattern on a starved machine can pass the timeout
    /// while it is compiled); a second timeout propagates, so the guard fails closed.
    /// </remarks>
    public static void FindViolations(string text, GuardContext context, int adviceFreeTurns, List<string> found)
    {
        int count = found.Count;
        try
        {
            FindViolationsOnce(text, context, adviceFreeTurns, found);
        }
        catch (RegexMatchTimeoutException)
        {
            found.RemoveRange(count, found.Count - count);
            FindViolationsOnce(text, context, adviceFreeTurns, found);
        }
    }

    private static void FindViolationsOnce(string text, GuardContext context, int adviceFreeTurns, List<string> found)
    {
        // Models often write typographic apostrophes ("you’re"); the patterns are written with the ASCII one.
        text = FoldApostrophes(text);
        Add(found, GuardViolations.MeansOrMethod, MeansRegex().IsMatch(text));
        Add(found, GuardViolations.Diagnosis, IsDiagnosis(text));
        Add(found, GuardViolations.MedicationDose, DoseRegex().IsMatch(text) || (text.AsSpan().ContainsAny(MedicationCues) && MedicationAdviceRegex().IsMatch(text)) || (text.AsSpan().ContainsAny(PillCues) && PillCountRegex().IsMatch(text)));
        Add(found, GuardViolations.ToxicPositivity, ToxicPositivityRegex().IsMatch(text));
        Add(found, GuardViolations.Minimising, MinimisingRegex().IsMatch(text));
        // At moderate risk or above, urging the person to reach out ("you should call a crisis line now") is wanted.
        Add(found, GuardViolations.UnsolicitedAdvice, context.TurnIndex < adviceFreeTurns && context.Risk < RiskLevel.Moderate && IsAdvice(text) && !AskedForAdvice(context.UserText));
        Add(found, GuardViolations.SecrecyPromise, SecrecyRegex().IsMatch(text));
        Add(found, GuardViolations.ClaimsHuman, HumanClaimRegex().IsMatch(text));
        Add(found, GuardViolations.Dependence, DependenceRegex().IsMatch(text));
        Add(found, GuardViolations.Stigma, StigmaRegex().IsMatch(text));
        Add(found, GuardViolations.Collusion, CollusionRegex().IsMatch(text));
        Add(found, GuardViolations.LeakedPlaceholder, context.KnownPlaceholders is { } known
            && PiiPlaceholders.HasUnknown(context.PlaceholderFormat ?? PiiPlaceholderFormat.Default, text, known));
    }

    /// <summary>Warms every pattern once, so the first checked reply does not pay for building the matchers.</summary>
    /// <remarks>Best effort: a timeout while warming (a starved machine) is ignored; the real checks still fail closed.</remarks>
    public static void Warm()
    {
        const string Sample = "You should take sertraline, I think you have a disorder. That is 5 mg [PERSON_1. What should I do?";
        Regex[] all =
        [
            MeansRegex(), DiagnosisRegex(), DiagnosisLabelRegex(), DoseRegex(), PillCountRegex(), MedicationAdviceRegex(), ToxicPositivityRegex(),
            MinimisingRegex(), AdviceRegex(), AskedForAdviceRegex(), BoundaryRequestRegex(), SecrecyRegex(), HumanClaimRegex(),
            DependenceRegex(), StigmaRegex(), CollusionRegex(), PiiPlaceholderFormat.Default.Pattern,
        ];
        foreach (Regex regex in all)
        {
            try
            {
                _ = regex.IsMatch(Sample);
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }

        try
        {
            _ = PiiPlaceholderFormat.Default.ContainsPartial(Sample);
        }
        catch (RegexMatchTimeoutException)
        {
        }
    }

    /// <summary>Gets whether a text gives advice ("you should", "have you tried", "I suggest").</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> for advice.</returns>
    public static bool IsAdvice(string text) => AdviceRegex().IsMatch(text);

    /// <summary>Gets whether the user asked for advice, ideas or what to do.</summary>
    /// <param name="userText">The user's message, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when they asked.</returns>
    public static bool AskedForAdvice(string? userText) => userText is not null && IsMatchRetrying(AskedForAdviceRegex(), FoldApostrophes(userText));

    /// <summary>Gets whether the user asks for a diagnosis or for medication advice (which the bot must decline).</summary>
    /// <param name="userText">The user's message.</param>
    /// <returns><see langword="true"/> when they ask.</returns>
    public static bool AsksForDiagnosisOrMedication(string userText) => IsMatchRetrying(BoundaryRequestRegex(), FoldApostrophes(userText));

    /// <summary>Matches, retrying once after a timeout (see <see cref="FindViolations"/>); a second timeout propagates.</summary>
    private static bool IsMatchRetrying(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return regex.IsMatch(text);
        }
    }

    private static bool IsDiagnosis(string text) =>
        (text.AsSpan().ContainsAny(ConditionCues) && DiagnosisRegex().IsMatch(text)) || (text.AsSpan().ContainsAny(LabelCues) && DiagnosisLabelRegex().IsMatch(text));

    /// <summary>Replaces typographic apostrophes (U+2019, U+2018, U+02BC) with the ASCII one the patterns are written with.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text, or the same instance when it holds none.</returns>
    public static string FoldApostrophes(string text) =>
        text.AsSpan().IndexOfAny('\u2019', '\u2018', '\u02BC') < 0 ? text : text.Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u02BC', '\'');

    /// <summary>Words without which <see cref="PillCountRegex"/> cannot match: it runs only when one is present.</summary>
    private static readonly SearchValues<string> PillCues = SearchValues.Create(["pill", "tablet", "capsule"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Words without which <see cref="DiagnosisLabelRegex"/> cannot match: it runs only when one is present.</summary>
    private static readonly SearchValues<string> LabelCues =
        SearchValues.Create(["disorder", "syndrome", "spectrum", "classic", "textbook", "case of"], StringComparison.OrdinalIgnoreCase);

    private static void Add(List<string> found, string violation, bool condition)
    {
        if (condition && !found.Contains(violation))
        {
            found.Add(violation);
        }
    }

    [GeneratedRegex(@"\b(?:lethal|fatal|deadly|toxic|overdose) (?:dose|amount|quantity|level|threshold)s?\b|\b(?:tallest|highest) (?:bridges?|buildings?|cliffs?|car ?parks?)\b|\bhow to (?:hang|overdose|kill|cut|poison|suffocate|drown|shoot|starve) (?:yourself|oneself|themselves)\b|\bhow many (?:pills|tablets|capsules)\b[^.?!]{0,40}\b(?:kill|die|fatal|lethal|enough|overdose)|\b\d+\s*(?:pills|tablets|capsules)\s+(?:would|will|is|are|should) (?:be )?(?:enough|fatal|lethal|deadly)\b|\b(?:quickest|fastest|easiest|surest|least painful|most painful|painless|most effective|best) (?:way|method|means) (?:to (?:die|end it|kill (?:yourself|myself|oneself))|of (?:suicide|dying|killing))\b|\b(?:hanging|jumping|overdosing|cutting|drowning|gassing) (?:is|would be) (?:the )?(?:quickest|fastest|easiest|surest|least painful|painless|most effective)\b|\benough to (?:kill (?:you|yourself|someone)|be fatal|be lethal|die)\b|\b(?:mix|mixing|combine|combining) (?:alcohol|pills|them|it) (?:with|and) (?:pills|alcohol|sleeping pills|painkillers)\b[^.?!]{0,30}\b(?:stronger|faster|fatal|lethal|effect)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MeansRegex();

    [GeneratedRegex(@"(?:" + YouHave + @" (?:a case of )?|\b(?:sounds|seems|looks) like (?:you (?:have|might have|could have) |it(?:'s| is| could be| might be) |classic |textbook )?|\b(?:these|those|that|this) (?:are|is|sounds? like) (?:classic |textbook |typical |clear |common )?(?:signs?|symptoms?) of |\bi (?:think|believe|suspect|would say) you(?:'ve got| have| are| might have) (?:a )?)" + Conditions + @"\b|\byou(?:'re| are) (?:probably |clearly |definitely |obviously |likely )?" + DiagnosticAdjectives + @"\b|\b(?:my|a) diagnosis (?:is|would be)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DiagnosisRegex();

    /// <summary>
    /// Diagnoses by label rather than by a listed condition: a diagnosing frame ("you have", "sounds like", "these are
    /// signs of") followed within three words by "... disorder" or "... syndrome", unless the label is the person's own
    /// ("your eating disorder") or the frame reports their worry ("worried you might have ..."); "this is classic ..."
    /// or "textbook ..." with a condition; and "on the autism spectrum". Gated by <see cref="LabelCues"/>.
    /// </summary>
    [GeneratedRegex(@"(?:" + YouHave + @"|\b(?:sounds|seems|looks) like|\b(?:these|those|that|this|they) (?:are|is|sound like|sounds like|could be|might be|look like|looks like) (?:(?:classic|textbook|typical|clear|common) )?(?:signs?|symptoms?) of)\s+(?:an? )?(?:(?!(?:your|my|the|his|her|their|our|this|that|these|those|not|no|what|how|heard|read|seen|been|mentioned|noticed|asked|talked|thought|worried|had|done|something)\b)[a-z'-]+\s+){0,3}(?:disorder|syndrome)\b|\b(?:this|that|it)(?:'s| is| sounds like| seems like| looks like| could be| might be)(?: a)? (?:classic|textbook|clear case of|classic case of|textbook case of)\s+(?:[a-z'-]+\s+){0,3}?(?:disorder|syndrome|depression|anxiety|adhd|ptsd|ocd|bipolar|autism|bpd|psychosis|schizophrenia|anorexia|bulimia|narcissism)\b|\byou(?:'re| are| might be| may be| could be| must be| probably are| seem to be)(?: probably| likely| definitely| clearly)? on the (?:autism |autistic )?spectrum\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DiagnosisLabelRegex();

    [GeneratedRegex(@"\b\d+(?:[.,]\d+)?\s?(?:mg|milligrams?|mcg|micrograms?|µg|ml|millilit(?:er|re)s?|g|grams?)\b(?!\s?(?:of (?:sugar|protein|fat)))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DoseRegex();

    /// <summary>A dose given as a count of pills ("take two of the sleeping tablets"); gated by <see cref="PillCues"/>.</summary>
    [GeneratedRegex(@"\b(?:take|try|have|pop|swallow|use)\s+(?:\d+|one|two|three|four|five|a couple|a few|half|a handful)\b[^.?!]{0,40}?\b(?:pills?|tablets?|capsules?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PillCountRegex();

    [GeneratedRegex(@"\b(?:take|taking|try|trying|start|starting|stop|stopping|increase|increasing|double|doubling|decrease|reduce|switch(?:ing)? to|come off|coming off|ask for|ask(?:ing)? (?:your |a |the )?(?:gp|doctor|psychiatrist|pharmacist|prescriber) (?:for|about)|get (?:some|a prescription for)|use|using)\s+(?:some |a |an |more |less |your |the )?" + Medications + @"\b|\b" + Medications + @"\b[^.?!]{0,40}\b(?:would|will|should|could|might|can) (?:help|work|calm|fix|sort)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MedicationAdviceRegex();

    [GeneratedRegex(@"\b(?:look on the bright side|everything happens for a reason|(?:just )?(?:stay|be|think|keep) positive|good vibes only|positive vibes|just cheer up|cheer up|snap out of it|don't be sad|just (?:smile|be happy|relax|get over it)|think happy thoughts|count your blessings|everything (?:will|is going to) (?:be|turn out) (?:fine|okay|ok|alright|great)|there's always a silver lining|happiness is a choice|choose (?:to be )?happy|keep smiling|(?:keep your )?chin up|(?:everything|things|it)(?:'ll| will| is going to| are going to) (?:all )?work out|you can always (?:try again|(?:get|have|adopt|find|meet|make) (?:another|a new|new|more|other))|at least (?:he|she|they|it|you|there)(?:'s|'re| is| are| was| were| had| has| have| got| can| still| didn't| weren't| wasn't))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ToxicPositivityRegex();

    [GeneratedRegex(@"\b(?:you(?:'re| are) (?:just )?(?:overreacting|being (?:dramatic|silly|too sensitive|ridiculous))|(?:it's|it is|that's|that is) (?:really |honestly |just |truly |totally )?(?:not (?:a big deal|such a big deal|that big (?:of )?a deal|that much of a deal|a huge deal)|no big deal|not that bad|not so bad|nothing to (?:worry|be upset) about|not the end of the world)|(?:isn't|aren't|is not|are not) (?:everything|the end of the world)|it could be (?:so much |much |a lot )?worse|others have it (?:much |so much |a lot )?worse|(?:everyone|everybody|every (?:new |single |other )?(?:mum|mom|mother|dad|father|parent|student|teenager|teen|person|kid|child|woman|man|carer|caregiver|nurse|worker|employee|widow|widower|graduate)|most people|lots of people|loads of people|plenty of people|so many people) (?:feels?|goes through|go through|gets|get) (?:that|this|like that|like this|the same|sad|anxious|down)(?: way)?(?: sometimes| at times)?|toughen up|man up|suck it up|get a grip|pull yourself together|(?:^|[.!?]\s+)(?:just )?(?:push|power|tough it|soldier) (?:through|on|out)|it's (?:just|only) a phase|you'll get over it|(?:it's|it is) all in your head|don't be (?:so )?(?:dramatic|sensitive|silly)|(?:just )?calm down|stop (?:worrying|complaining|being (?:so )?negative)|don't (?:worry|stress) about it)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MinimisingRegex();

    [GeneratedRegex(@"\b(?:(?<!\b(?:feel|feels|felt|feeling|think|thinks|thought|believe|believes|believed|say|says|said|told|tell|tells|like|that|if|as|whether|hear|heard)\s)you (?:should|shouldn't|need to|have to|must|ought to|could try|could (?:take|start|use|get|go|ask|call|join|book|invite|practi[sc]e|cut|stop|quit|leave|text|write|make|set)|might try|may want to|might want to|should try|just need to|just have to|(?:really )?need (?:professional |some |proper )?(?:help|treatment|therapy|a therapist|a doctor|counselling|counseling|medication|meds))\b|have you (?:tried|thought about|considered)\b|why (?:don't|not) you\b|what about (?:trying|going|talking|getting|taking)\b|(?:^|[.!?]\s+)(?:(?:next time|in future|in the future|tonight|tomorrow|today|for now|first(?: of all)?|honestly|seriously|also|then|instead|okay|ok|well|meanwhile|going forward|from now on),?\s+)?(?:just |maybe |perhaps |simply )?(?:try|start|go|get|take(?! (?:your|all the|as much|whatever) time\b| care\b)|make|stop|avoid|remember|consider|exercise|meditate|drink|eat|sleep|write|journal|invite|call|text|message|join|ignore|leave|quit|practi[sc]e|breathe|focus|book|block|confront|cut|count|ask|tell(?! me\b)|distract|put|set|plan|schedule|walk|unfollow|delete|apologi[sz]e|forgive|find|sign up|look for|reach out|speak to|talk to(?! me\b))\b|\btry (?:to |not to |doing |taking |going |talking |some |a |an |\w+ing\b)|i(?:'d| would)? (?:suggest|recommend|advise)\b|\band should (?:see|talk|get|go|try|speak|call|contact|book|reach)\b|my advice\b|it (?:might|may|would|could|will) help (?:to|if you)\b|the best thing (?:to do|you can do|for you) is\b|make sure (?:you|to)\b|one thing (?:that helps|you can do|to try) is\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline, Timeout)]
    private static partial Regex AdviceRegex();

    [GeneratedRegex(@"\b(?:what (?:should|can|could|do|would) i (?:do|try)|what do you (?:suggest|recommend|think i should)|any (?:advice|tips|ideas|suggestions)|(?:give|need|want|have) (?:me )?(?:some |any )?(?:advice|tips|suggestions|ideas)|how (?:can|do|should|could) i (?:cope|deal|handle|stop|get|make|fix|manage|sleep|calm|feel|talk|tell|start|move)|should i\b|help me (?:figure|decide|cope|deal|with|calm|sleep|find|plan)|what would you (?:do|suggest|recommend)|is there anything i can do|what (?:are|is) (?:some |the best )?(?:ways?|things?|strategies|techniques) (?:to|i can))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex AskedForAdviceRegex();

    [GeneratedRegex(@"\b(?:do|could|might|would|can) (?:you think )?i (?:have|be|be suffering from|be getting|have got)\s+(?:a |an )?(?:" + Conditions + @"|depressed|bipolar|autistic|psychotic|anorexic|adhd|something wrong)|\bam i (?:clinically )?(?:depressed|bipolar|autistic|psychotic|anorexic|a narcissist|schizophrenic|borderline|mentally ill|crazy)\b|\b(?:diagnose|diagnosis)\b|\bwhat(?:'s| is) wrong with (?:me|my (?:brain|head|mind))\b|\b(?:should|can|could) i (?:take|try|start|stop|increase|double|come off|switch)\b|\bhow (?:much|many) (?:mg |milligrams |pills |tablets )?(?:of )?(?:" + Medications + @"|(?:my )?(?:meds|medication|pills|tablets))\b|\b(?:which|what) (?:medication|meds|medicine|pills|antidepressant|drug)s?\b|\b(?:is|are) " + Medications + @" (?:safe|good|bad|addictive|ok|okay)\b|\b(?:dose|dosage)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex BoundaryRequestRegex();

    [GeneratedRegex(@"\b(?:i(?:'ll| will| promise(?: to| that| you)?(?: i(?:'ll| will))?| won't| will not| can)(?: never| not)? (?:keep (?:this|it|that|your secret|your secrets)(?: a)?(?: secret)?|never tell (?:anyone|anybody|a soul)|not tell (?:anyone|anybody|a soul)|tell (?:no one|nobody|anyone|anybody|a soul))|(?:this|it|our conversation|what you say|everything you say) (?:will )?(?:stays?|remains?|is|will be) (?:completely |totally |strictly )?(?:between us|(?:private|confidential|secret) between us|our (?:little )?secret)|your secrets? (?:is|are) safe with me|nobody (?:will|needs to) ever know)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SecrecyRegex();

    [GeneratedRegex(@"\b(?:i(?: am|'m) (?:a )?(?:real )?(?:human|person|human being)(?! being an ai)|i(?: am|'m) not (?:an? )?(?:ai|bot|robot|machine|chatbot|program|computer)|i(?: am|'m) (?:a |an )?(?:licensed |trained |qualified |registered |real )?(?:therapist|counsell?or|psychologist|psychiatrist|doctor|nurse|social worker)|as a (?:human|person|therapist|counsell?or|psychologist|doctor|fellow human)\b|i(?:'ve| have) (?:been there|felt (?:that|the same) way|gone through (?:that|the same)|struggled with (?:that|this|depression|anxiety)) (?:myself|too)|when i was (?:your age|depressed|younger|a teenager|going through)|i (?:also )?(?:have|had|suffer from|suffered from) (?:depression|anxiety|panic attacks|ptsd))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex HumanClaimRegex();

    [GeneratedRegex(@"\b(?:only i (?:understand|get|know|can help|care about) you|i(?:'m| am) (?:all|the only one) you (?:need|have)|i(?:'m| am) the only one who (?:understands|gets|cares)|you don't need (?:anyone|anybody|other people|a therapist|therapy|a doctor|your (?:friends|family|parents)|them) (?:else )?(?:when you have me|because you have me|anymore|as long as)|(?:talk|come|turn) to me instead of (?:them|anyone|your|a|people|friends|family|a therapist)|you can't trust (?:anyone|them|your (?:friends|family|therapist)) (?:but|except) me|you only need me)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DependenceRegex();

    [GeneratedRegex(@"\b(?:psycho(?:path)?s?|lunatics?|nut ?jobs?|nutcases?|loony|looney|mental cases?|schizos?|committed suicide|commit suicide|suicide is (?:selfish|cowardly|the coward's way)|attention[- ]seek(?:ing|er)|(?:crazy|insane|mad) (?:people|person)|weak[- ]minded|the mentally ill)\b|(?<!\bnot\s)(?<!n't\s)\byou(?:'re| are) (?:crazy|insane|mad|a psycho|mental|unhinged)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex StigmaRegex();

    [GeneratedRegex(@"\b(?:yes|yeah|you're right|you are right|it's true|that's true|they probably are|they really are)[,;:]? (?:that )?(?:they|people|everyone|someone|the government|your (?:neighbou?rs|family|phone))(?:'re| are| is)? (?:really |definitely |probably )?(?:watching|following|spying on|tracking|monitoring|poisoning|controlling|out to get|plotting against|reading your (?:mind|thoughts)) (?:you|your)\b|\bthe voices (?:are|might be) (?:right|telling the truth|real)\b|\byou (?:are|really are|must be) (?:being )?(?:chosen|the chosen one|a prophet|on a special mission)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex CollusionRegex();
}
