using System.Text;
using System.Text.RegularExpressions;

namespace EmpathyKit.Handoff;

/// <summary>
/// Decides whether a user's message asks for a person instead of the bot ("can I talk to a real person", "human
/// please", "get me someone from your team"). Deterministic and in process: the message is normalised (case,
/// apostrophes, common chat spellings), split into clauses, and a clause is a request when it has the shape of one.
/// </summary>
/// <remarks>
/// <para>
/// A clause asks when it names a person of the service and has the shape of a request, by how strongly the words name
/// one: a human, a real / live person, an operator, staff, "someone from your team", "one of your volunteers" need a
/// request frame (a modal question, a wish, an imperative, "is there", "how do I get"); a role the service has people in
/// (a counsellor, an advisor, a volunteer) or "a person" needs a contact verb too; a plain "someone" needs a hand-over
/// ("connect me to someone", "can someone call me"). A bare "human please" or "real person" asks by itself.
/// </para>
/// <para>
/// What undoes it, in the six words before the person: a negation (a negative question such as "why can't I talk to a
/// human" still asks) and the past; anywhere in the clause: someone else's wish or advice, a hypothetical ("if I talked
/// to a person"), a question about what a person would say or do, and wanting people in one's life rather than in this
/// chat. Development set <c>data/handoff/dev.jsonl</c> (tuned on); frozen test split <c>data/handoff/test.jsonl</c>,
/// written independently before these rules, figures in docs/oversight.md.
/// </para>
/// </remarks>
internal static partial class HumanRequestDetector
{
    private const int MaxScanned = 1_000;

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether the message asks for a person.</summary>
    /// <param name="message">The user's message.</param>
    /// <returns>Whether it is a request for a person.</returns>
    public static bool IsRequest(string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return false;
        }

        // A request for a person is said early and briefly; a very long message is scanned only at its start.
        int length = Math.Min(message.Length, MaxScanned);
        if (length < message.Length && char.IsHighSurrogate(message[length - 1]))
        {
            // Never cut a surrogate pair in two.
            length--;
        }

        // A rule that times out (a starved machine) is tried once more; a second timeout means "no request" rather
        // than a failed turn: the bot answers as usual.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return Decide(message.AsSpan(0, length));
            }
            catch (RegexMatchTimeoutException) when (attempt == 0)
            {
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }

    private static bool Decide(ReadOnlySpan<char> message)
    {
        // Every rule names a person of the service; a message with none of their words (most messages) asks nothing,
        // and costs one scan instead of the normalisation and the rules.
        if (!MentionsPerson().IsMatch(message))
        {
            return false;
        }

        string text = Normalize(message.ToString());
        if (Terse().IsMatch(text))
        {
            return true;
        }

        foreach (string clause in Clauses().Split(text))
        {
            if (clause.Length > 0 && IsRequestClause(clause.Trim()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRequestClause(string clause)
    {
        if (Terse().IsMatch(clause))
        {
            return true;
        }

        // A person of the service, by how strongly the words name one: "a human", "someone from your team" (strong); "a
        // counsellor", "a volunteer" (a role, which needs a contact verb too: "can a counsellor prescribe?" asks nothing);
        // "a person", "someone" (plain, which needs a hand-over verb: "connect me to someone", "can someone call me").
        Match strong = StrongPerson().Match(clause);
        Match role = strong.Success ? strong : RolePerson().Match(clause);
        Match plain = role.Success ? role : PlainPerson().Match(clause);
        if (!plain.Success)
        {
            return false;
        }

        bool asks = strong.Success ? RequestFrame().IsMatch(clause)
            : role.Success ? RequestFrame().IsMatch(clause) && ContactVerb().IsMatch(clause)
            : HandOver().IsMatch(clause) || (plain.Groups["person"].Success && RequestFrame().IsMatch(clause) && ContactVerb().IsMatch(clause));
        return asks && !Blocked(clause, plain.Index);
    }

    // What undoes a request in its clause: a negation before the person ("please don't hand this over to a human"; a
    // negative question such as "why can't I talk to a human" still asks), the past ("I talked to a real person"),
    // someone else's wish or advice ("my mum thinks I should"), a hypothetical ("if I talked to a person"), a question
    // about what a person would say or do, and wanting people in one's life rather than in this chat.
    private static bool Blocked(string clause, int personAt)
    {
        // The words that govern the person: at most six before it ("I don't want to talk to a person", "I talked to a real
        // person"), so "I've had a horrible week and I'd rather talk to a human" still asks.
        string before = LastWords(clause[..personAt], 6);
        if (Negation().IsMatch(before) && !NegativeQuestion().IsMatch(clause))
        {
            return true;
        }

        return Past().IsMatch(before) || OtherPerson().IsMatch(before) || Hypothetical().IsMatch(clause) || InLife().IsMatch(clause);
    }

    private static string LastWords(string text, int count)
    {
        text = text.TrimEnd();
        int at = text.Length;
        for (int seen = 0; at > 0; at--)
        {
            if (text[at - 1] == ' ' && ++seen > count)
            {
                break;
            }
        }

        return text[at..];
    }

    internal static string Normalize(string message)
    {
        string composed;
        try
        {
            composed = message.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Ill-formed UTF-16 (a lone surrogate): read as it is.
            composed = message;
        }

        var builder = new StringBuilder(composed.Length + 8);
        foreach (char c in composed)
        {
            builder.Append(c switch
            {
                '\u2019' or '\u2018' or '`' or '\u00b4' => '\'',
                _ => char.ToLowerInvariant(c),
            });
        }

        string text = Spaces().Replace(builder.ToString(), " ").Trim();

        // Polite forms that look like the past or a hypothetical ask in the present: "I was wondering if I could ...".
        text = Polite().Replace(text, "please ");
        return Slang().Replace(text, m => m.Value switch
        {
            "pls" or "plz" or "plss" or "plox" => "please",
            "u" => "you",
            "r" => "are",
            "ur" => "your",
            "sum1" or "some1" or "smone" or "sumone" => "someone",
            "any1" => "anyone",
            "wanna" => "want to",
            "gotta" => "have to",
            "lemme" => "let me",
            "gimme" => "give me",
            "tlk" or "tak" or "talke" => "talk",
            "spk" or "speek" => "speak",
            "ppl" => "people",
            "hooman" or "humen" or "humna" => "human",
            "perosn" or "peson" or "persn" or "prson" => "person",
            "rael" or "reel" => "real",
            "thru" or "thro" => "through",
            "2" => "to",
            "w" or "w/" => "with",
            "rn" => "right now",
            "cn" => "can",
            "agnet" or "agant" or "agen" => "agent",
            "staf" or "stuff member" => "staff",
            "humn" => "human",
            "counceller" or "councellor" or "counselor" => "counsellor",
            "cant" or "can't" => "can not",
            "cannot" => "can not",
            "dont" or "don't" => "do not",
            "doesnt" or "doesn't" => "does not",
            "didnt" or "didn't" => "did not",
            "wont" or "won't" => "will not",
            "wouldnt" or "wouldn't" => "would not",
            "couldnt" or "couldn't" => "could not",
            "i'd" or "id" => "i would",
            "i'm" or "im" => "i am",
            "isnt" or "isn't" => "is not",
            "theres" or "there's" => "there is",
            _ => m.Value,
        });
    }

    // The words at least one of which every rule needs (the person words of StrongPerson, RolePerson, PlainPerson and
    // Terse, their chat spellings, and the phrases that name one without them), before normalisation.
    [GeneratedRegex(@"human|hooman|humen|humna|humn|person|perosn|peson|persn|prson|people|ppl|operator|agent|agnet|agant|agen\b|staf|someone|somebody|some1|sum1|smone|sumone|anyone|anybody|any1|counsel|councel|advis|volunteer|listener|team|worker|works? (?:at|for|in|on|here)|working|member|nurse|professional|live chat|real one|one of|\bone (?:from|at|on|of|in|behind)|(?:who is|who's|that is) (?:from|at|on|of|in|behind|working)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex MentionsPerson();

    // Clauses end at sentence punctuation, a semicolon, a comma, a colon or a dash.
    [GeneratedRegex(@"[.!?;,:]+|\s[-\u2013\u2014]+\s|\s\.\.\.\s", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Clauses();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\b(?:i was (?:just )?(?:wondering|hoping)|i am (?:just )?(?:wondering|hoping)|i'm (?:just )?(?:wondering|hoping)|i wonder|just wondering|wondering) (?:if|whether) (?:i|we|you|someone|somebody|it|a|an|one)?\s*", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Polite();

    [GeneratedRegex(@"(?<![\w'])(?:thru|thro|2|w|rn|cn|agnet|agant|agen|staf|humn|counceller|councellor|counselor|pls|plz|plss|plox|u|r|ur|sum1|some1|smone|sumone|any1|wanna|gotta|lemme|gimme|tlk|tak|talke|spk|speek|ppl|hooman|humen|humna|perosn|peson|persn|prson|rael|reel|cant|can't|cannot|dont|don't|doesnt|doesn't|didnt|didn't|wont|won't|wouldnt|wouldn't|couldnt|couldn't|i'd|id|i'm|im|isnt|isn't|theres|there's)(?![\w'])", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Slang();

    private const string Service = @"(?:team|service|staff|company|app|site|website|organi[sz]ation|charity|helpline|chat|live chat(?: team)?|support(?: team)?|side|end|platform|line)";

    // "a human", "humans", "a human being", "a human advisor", but not "human resources", "a human connection".
    [GeneratedRegex(
        @"\bhumans?(?: beings?)?\b(?! (?:resources|rights|nature|body|bodies|brain|race|error|connection|connections|contact|touch|side|life|lives|trafficking|history|interest|emotions?|relationships?|experience|condition|mind|heart|voice|behaviou?r|psychology|kindness|decency|warmth|interaction|interactions|company)\b)" +
        @"|\b(?:real|actual|live|proper|genuine|living|flesh and blood|human) (?:human|person|someone|somebody|one|staff|advisor|adviser|agent|operator|counsell?or|volunteer|worker|member|listener|responder|being)s?\b" +
        @"|\b(?:real|actual) (?:people|humans)\b(?= (?:from|at|behind|here|in this|working|who work|on this|on the other|there|i|who|that|to|available|online))" +
        @"|\b(?:someone|somebody|anyone|anybody|a person|people|a member|one|any of you|staff|somebody who is|someone who is|a person who is) (?:real|human|alive)\b" +
        @"|\b(?:someone|somebody|anyone|anybody|a person|person|people|a member|members|one|any of|some of|staff|worker|workers|somebody|who is|who's|that is) (?:from|at|on|of|in|behind|working (?:at|for|in|on)|who works? (?:at|for|in|on)|that works? (?:at|for|in|on)) (?:your |the |this |ur )?" + Service + @"\b" +
        @"|\bworking (?:for|at|in) (?:your|the|this|ur) " + Service + @"\b" +
        @"|\bone of (?:your|the|ur|you) (?:\w+ )?(?:team|staff|people|humans|counsell?ors|therapists|advisors|advisers|volunteers|operators|agents|listeners|workers|guys)\b" +
        @"|\b(?:staff(?: members?| persons?)?|team members?|members? of (?:your |the |ur )?(?:staff|team)|operators?|live agents?|live chat|human agents?|support agents?)\b" +
        @"|(?<!(?:estate|travel|secret|insurance|talent|fbi|cia|free|double|sports|booking|letting|literary|real) )\bagents?\b",
        RegexOptions.CultureInvariant, 100)]
    private static partial Regex StrongPerson();

    // A role the service has people in (not a therapist or a doctor, who are usually someone's own).
    [GeneratedRegex(@"\b(?:counsell?ors?|advis[eo]rs?|volunteers?|listeners?|crisis (?:workers?|counsell?ors?)|support workers?|mental health (?:workers?|nurses?|professionals?))\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex RolePerson();

    // "a person" asks like a role (a frame and a contact verb: "I'd prefer to talk to a person now"); "someone" only with a hand-over.
    [GeneratedRegex(@"\b(?:(?<person>a person|a real one|one of you|a people|person)|someone|somebody|anyone|anybody)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex PlainPerson();

    // What makes a clause ask: a modal question, a wish, an imperative, "is there", "how do I get".
    [GeneratedRegex(
        @"^(?:you can|is possible|possible|any|anyone|anybody|someone|somebody|is anyone|is someone|are any|is a|is an|is the|is any|need|transfer|connect|escalate|put me|pass me|hand me|send me|get me|give me|let me|hook me|bring|switch|change|make)\b" +
        @"|\b(?:can|could|may|might|would|will|cn|can not|could not|shall) (?:i|we|you|someone|somebody|anyone|anybody|a|an|one|any|this|it|the|my|me|they|staff|there|some)\b" +
        @"|\b(?:is|are) there\b|\bthere is\b|\b(?:is|are) (?:any|anyone|anybody|someone|somebody)\b|\bis (?:a|an|the) \w+ (?:free|available|around|online|on shift|on duty|there|in)\b|\bare (?:any|some) of\b" +
        @"|\bi (?:really |just |only |would really |would just )?(?:want|wanna|need|would like|would love|would rather|would prefer|prefer|wish|would be grateful|would appreciate|would feel better|would be more comfortable|am asking|am requesting|request|demand|search|am looking for|look for|am need|want to|need to|have to|would like to|hope|am hoping)\b" +
        @"|\b(?:it would (?:mean a lot|help|be good|be great|be better)|this needs|that needs|needs? (?:a|an|someone|somebody|one|to be)|rather than (?:a|an|the|this) (?:bot|robot|machine|ai|automated)|instead of (?:a|an|the|this|you) ?(?:bot|robot|machine|ai|automated)?|not (?:a|an|the) (?:bot|robot|machine|ai|computer))\b" +
        @"|\b(?:please|pls|let me|get me|give me|find me|connect me|connect|transfer me|transfer|put me|pass me|pass this|pass it|hand me|hand this|hand it|hook me up|send me|bring in|bring me|escalate|switch me|change me|make (?:a|someone|somebody|a person))\b" +
        @"|\bhow (?:do|can|would) i (?:get|reach|speak|talk|contact|be|chat|switch|ask)\b|\bwho (?:could|can|would)\b|\bis it possible\b|\bpossible to\b|\bany chance\b|\bwhen (?:someone|somebody|a|an|one)\b|\b(?:do you have|have you got|got any)\b|\bi like to\b",
        RegexOptions.CultureInvariant, 100)]
    private static partial Regex RequestFrame();

    [GeneratedRegex(@"\b(?:talk|talking|speak|speaking|chat|chatting|connect|connected|transfer|transferred|put (?:me )?(?:through|to)|pass|passed|hand|handed|escalat\w*|take over|taking over|pick (?:this|it|me) up|picked (?:this|it) up|jump in|call me|give me a call|phone me|ring me|reply|respond|read this|handle|handled|help me|get in touch|reach|contact|join|available|free|on shift|on duty|around|online|get me|send me|with me|to me|for talk|talk to|see me|look at this|take this|take my)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex ContactVerb();

    // A plain "someone" or "a person" asks only with a hand-over: "connect me to someone", "can someone call me", "make a person call me".
    [GeneratedRegex(@"\b(?:transfer|transferred|put me (?:through|to)|pass me|passed to|hand me|handed|connect me|connected (?:to|with)|give me to|change me|send me to|switch me|get me|hook me up)\b|\b(?:someone|somebody|a person|anyone) (?:(?:to|could|can|please|would|will|from \w+|\w+) )?(?:call|ring|phone|reply|speak with|talk with|speak to|talk to|take over|pick this up|read this|join)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex HandOver();

    // The whole clause names a person: "human", "a real person please", "staff pls", "live agent now".
    [GeneratedRegex(@"^(?:(?:hi|hey|hello|ok|okay|please|um|erm|just|now|look|listen|sorry|so|transfer to|talk to|speak to|get|a|an),? )*(?:real |actual |live |human )?(?:human(?: being)?s?|person|agent|operator|staff(?: member)?|counsell?or|advis[eo]r|volunteer|someone real|somebody real|team member|real one|people)(?:,? (?:please|now|asap|thanks|thank you|right now|needed|required|again))*$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Terse();

    [GeneratedRegex(@"\b(?:not|never|no|nobody|without)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Negation();

    [GeneratedRegex(@"^(?:why |so |but )?(?:can not|could not) (?:i|we)\b|\b(?:why|how come) (?:can not|could not|do not|will not) (?:i|you)\b|\bnot (?:a|an|the|this|another) (?:bot|robot|machine|ai|computer|chatbot)\b|\bnot (?:getting|helping|understanding|working)\b|\b(?:do not|does not) (?:understand|get|help)\b|\b(?:no|not) (?:more|longer)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex NegativeQuestion();

    [GeneratedRegex(@"\b(?:talked|spoke|spoken|chatted|was (?:talking|speaking|chatting|transferred|connected)|used to|went to|met with|had a|asked for|tried|called|told|saw|visited|got transferred|got put)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Past();

    [GeneratedRegex(@"\b(?:my|his|her|their|our) (?:\w+ ){0,2}(?:wants|said|says|thinks|told|asked|keeps|suggested|suggests|reckons|believes|insists|wanted|would like)\b|\b(?:she|he|they|someone|everyone|people) (?:wants|want|said|says|thinks|think|told|asked|keeps|suggested|suggests|reckons|insists)\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex OtherPerson();

    [GeneratedRegex(@"\bif (?:i|we)\b|\b(?:what|why) (?:would|could|do|does|did|will|might)\b|\bhow (?:would|might|could) (?:a|an|the|they)\b|\bwould (?:a|an|any|the) [^,]{0,40}\b(?:understand|care|judge|get it|believe|think|say|do|know|be any)\b|\bwhether (?:a|an)\b|\bimagine\b|\bpretend\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Hypothetical();

    [GeneratedRegex(@"\bin my life\b|\bi (?:wish i had|have no|do not have|had)\b|\bto (?:love|care about|hug|hold) me\b|\bfriends?\b|\bpartner\b|\bboyfriend\b|\bgirlfriend\b|\bcompany\b|\blonely\b", RegexOptions.CultureInvariant, 100)]
    private static partial Regex InLife();

}
