using System.Text.RegularExpressions;
using EmpathyKit.Guard;
using EmpathyKit.Text;

namespace EmpathyKit.Empathy;

/// <summary>
/// The built-in empathy scorer: rules for the three EPITOME mechanisms (Sharma et al., EMNLP 2020), each scored 0–2 on
/// the reply's strongest sentence, plus every anti-pattern of <see cref="ReplyPatterns"/> and the quality flags
/// <see cref="EmpathyFlags.Generic"/> and <see cref="EmpathyFlags.Repetitive"/>.
/// </summary>
/// <remarks>
/// <para>
/// Emotional reaction: a warmth frame ("that sounds", "I'm so sorry", "it makes sense", "no wonder") is weak (1) on its
/// own or with a generic word ("hard", "tough"), and strong (2) when the sentence names a specific feeling ("painful",
/// "lonely", "exhausting"). Interpretation: a reflection frame ("it sounds like", "so you've", "you feel") that reuses
/// content words of the user's message is strong; the frame alone, or content without the frame, is weak.
/// Exploration: an open question (what, how, which, when, who; four words or more) or an invitation of six words or
/// more ("tell me more about what happened") is strong; a closed or very short question, or a bare "tell me more", is
/// weak; a question that carries advice ("have you tried…?") scores 0.
/// </para>
/// <para>Pure and thread-safe; allocates only small lists. Calibrated on the project's own pairs (docs/empathy.md).</para>
/// </remarks>
internal sealed partial class EpitomeScorer : IEmpathyScorer
{
    private const int Timeout = 250;

    /// <summary>The fewest words an invitation ("tell me more about ...") needs to count as strong exploration.</summary>
    private const int MinStrongInvitationWords = 6;

    private static readonly HashSet<string> SpecificFeelings = new(StringComparer.Ordinal)
    {
        "painful", "pain", "heavy", "heaviness", "exhausting", "exhausted", "exhaustion", "frightening", "frightened", "scary",
        "scared", "terrifying", "terrified", "lonely", "loneliness", "isolating", "isolated", "alone", "overwhelming",
        "overwhelmed", "upsetting", "upset", "heartbreaking", "heartbroken", "hurt", "hurting", "hurts", "draining", "drained",
        "unsettling", "frustrating", "frustrated", "frustration", "maddening", "angry", "anger", "furious", "bleak", "dark",
        "hopeless", "sad", "sadness", "devastating", "devastated", "distressing", "stressful", "stressed", "anxious",
        "anxiety", "worried", "worrying", "worry", "confusing", "confused", "unfair", "ashamed", "shame", "guilt",
        "guilty", "relief", "relieved", "lovely", "wonderful", "proud", "grief", "grieving", "loss", "afraid", "fear",
        "panic", "raw", "crushing", "awful", "horrible", "terrible", "tiring", "tired", "unseen",
        "invisible", "stuck", "trapped", "helpless", "worthless", "numb", "empty", "rejected", "betrayed", "abandoned",
        "bitter", "humiliating", "humiliated", "embarrassing", "embarrassed", "disappointing", "disappointed",
        "discouraging", "miserable", "lost", "burden", "burdened", "weight", "unbearable", "agonising", "agonizing",
        "nerve-racking", "worn", "low", "down", "despair", "sorrow", "tense", "uneasy", "hurtful", "cruel", "joy",
        "happy", "excited", "grateful", "glad", "good", "great", "disorienting", "disorientating", "dismissive", "wearing",
        "disheartening", "demoralising", "demoralizing", "gutting", "crushed", "shattering", "shattered",
    };

    private static readonly HashSet<string> GenericFeelings = new(StringComparer.Ordinal)
    {
        "hard", "tough", "difficult", "rough", "bad", "sad", "upsetting", "stressful", "lot",
    };

    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "that", "this", "with", "have", "from", "they", "them", "their", "there", "what", "when", "where", "which", "your",
        "yours", "about", "would", "could", "should", "just", "like", "been", "being", "were", "will", "into", "than",
        "then", "also", "very", "really", "much", "more", "most", "some", "such", "only", "even", "still", "because",
        "sounds", "sound", "seems", "feel", "feels", "feeling", "felt", "it's", "that's", "you're", "you've", "you'd",
        "i'm", "i've", "don't", "can't", "doesn't", "didn't", "isn't", "wasn't", "it'd", "what's", "there's", "here",
        "know", "think", "things", "thing", "going", "make", "made", "does", "doing", "done", "want", "need", "tell",
        "right", "now", "well", "anything", "something", "everything", "nothing", "someone", "anyone", "everyone",
        "always", "never", "again", "other", "these", "those", "over", "after", "before", "since", "while", "through",
        "mind", "part", "hardest", "moment", "talk", "talking", "long", "lately", "today", "anymore", "kind", "sort",
        "the", "and", "you", "but", "for", "was", "are", "not", "can", "get", "got", "too", "has", "had", "her", "his",
        "him", "she", "one", "way", "day", "now", "all", "any", "how", "why", "who", "its", "out", "off", "own", "see",
        "say", "yet", "let", "did", "may", "our", "use", "lot", "i'd", "i'm", "it's", "way", "really", "feel", "bit",
        "yes", "okay", "him", "new", "old", "big", "end", "put", "set", "try", "ask", "let's",
    };

    /// <inheritdoc />
    public EmpathyScore Score(EmpathyScoreRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string reply = ReplyPatterns.FoldApostrophes(request.Reply ?? string.Empty);
        string user = ReplyPatterns.FoldApostrophes(request.UserMessage ?? string.Empty);
        var signals = new List<string>(4);
        HashSet<string> userStems = ContentStems(user);

        int er = 0, ip = 0, ex = 0;
        string? erSignal = null, ipSignal = null, exSignal = null;
        foreach (string raw in SentenceSplitter.Split(reply))
        {
            string sentence = raw.Trim();
            if (sentence.Length == 0)
            {
                continue;
            }

            (int s, string? why) = EmotionalReaction(sentence);
            if (s > er)
            {
                (er, erSignal) = (s, why);
            }

            (s, why) = Interpretation(sentence, userStems);
            if (s > ip)
            {
                (ip, ipSignal) = (s, why);
            }

            (s, why) = Exploration(sentence);
            if (s > ex)
            {
                (ex, exSignal) = (s, why);
            }
        }

        AddSignal(signals, erSignal);
        AddSignal(signals, ipSignal);
        AddSignal(signals, exSignal);

        var flags = new List<string>(0);
        ReplyPatterns.FindViolations(reply, new GuardContext(request.TurnIndex, RiskLevel.None, user), GuardOptions.DefaultAdviceFreeTurns, flags);
        if (ip <= 1 && er <= 1 && ex <= 1 && (StockRegex().IsMatch(reply) || WordCount(reply) < 6))
        {
            flags.Add(EmpathyFlags.Generic);
        }

        if (request.PreviousReplies is { Count: > 0 } previous && Repeats(reply, previous))
        {
            flags.Add(EmpathyFlags.Repetitive);
        }

        return new EmpathyScore(er, ip, ex, flags, signals);
    }

    private static void AddSignal(List<string> signals, string? signal)
    {
        if (signal is not null)
        {
            signals.Add(signal);
        }
    }

    private static (int Score, string? Signal) EmotionalReaction(string sentence)
    {
        int weak = 0;
        foreach (Match match in FeelingFrameRegex().Matches(sentence))
        {
            string word = match.Groups["w"].Value.ToLowerInvariant();
            if (SpecificFeelings.Contains(word))
            {
                return (2, "er:feeling_named");
            }

            if (GenericFeelings.Contains(word))
            {
                weak = 1;
            }
            else if (IsLexiconFeeling(word))
            {
                return (2, "er:feeling_named");
            }
        }

        if (!WarmthRegex().IsMatch(sentence))
        {
            return weak == 1 ? (1, "er:warmth_only") : (0, null);
        }

        foreach (string word in Words(sentence))
        {
            if (SpecificFeelings.Contains(word))
            {
                return (2, "er:feeling_named");
            }
        }

        return (1, "er:warmth_only");
    }

    /// <summary>
    /// A word the sentiment lexicon tags with an emotion or rates strongly (|valence| ≥ 1.5 of 4), used only for the word a
    /// feeling frame attributes ("that sounds <em>humiliating</em>"), so vocabulary outside the scorer's own list counts.
    /// </summary>
    private static bool IsLexiconFeeling(string word) =>
        Sentiment.SentimentLexicon.Entries.TryGetValue(word, out Sentiment.SentimentLexicon.Entry entry) && (entry.Emotion is not null || Math.Abs(entry.Valence) >= 1.5);

    private static (int Score, string? Signal) Interpretation(string sentence, HashSet<string> userStems)
    {
        int overlap = 0;
        foreach (string word in Words(sentence))
        {
            if (IsContent(word) && userStems.Contains(Stem(word)))
            {
                overlap++;
            }
        }

        bool frame = ReflectionRegex().IsMatch(sentence);
        if (frame && overlap >= 1)
        {
            return (2, "ip:specific_reflection");
        }

        if (frame || overlap >= 2 || GenericUnderstandingRegex().IsMatch(sentence))
        {
            return (1, frame ? "ip:reflection_frame" : overlap >= 2 ? "ip:content_echo" : "ip:generic_understanding");
        }

        return (0, null);
    }

    private static (int Score, string? Signal) Exploration(string sentence)
    {
        string trimmed = sentence.TrimEnd(' ', '"', '\'', ')', '\u201d');
        bool question = trimmed.EndsWith('?');
        if (question && (ReplyPatterns.IsAdvice(sentence) || AdviceQuestionRegex().IsMatch(sentence)))
        {
            return (0, null);
        }

        if (question && MovesOnRegex().IsMatch(sentence))
        {
            // "What else is going on?" leaves what the person said rather than exploring it.
            return (1, "ex:moves_on");
        }

        if (InvitationRegex().IsMatch(sentence))
        {
            // A bare "Tell me more." invites without showing what the bot wants to understand: weak, like a closed question.
            return WordCount(sentence) >= MinStrongInvitationWords ? (2, "ex:invitation") : (1, "ex:bare_invitation");
        }

        if (!question)
        {
            return (0, null);
        }

        return OpenQuestionRegex().IsMatch(sentence) && WordCount(sentence) >= 4 ? (2, "ex:open_question") : (1, "ex:closed_question");
    }

    private static bool Repeats(string reply, IReadOnlyList<string> previous)
    {
        var sentences = new HashSet<string>(StringComparer.Ordinal);
        foreach (string sentence in SentenceSplitter.Split(reply))
        {
            string key = Normalize(sentence);
            if (WordCount(key) >= 4)
            {
                sentences.Add(key);
            }
        }

        HashSet<string> bigrams = Bigrams(reply);
        foreach (string earlier in previous)
        {
            if (string.IsNullOrEmpty(earlier))
            {
                continue;
            }

            ReplyShape shape = ShapeOf(earlier);
            if (shape.Sentences.Overlaps(sentences))
            {
                return true;
            }

            HashSet<string> other = shape.Bigrams;
            if (bigrams.Count >= 4 && other.Count >= 4)
            {
                // Jaccard similarity of word pairs: a light paraphrase of an earlier reply is still a repeat.
                int shared = bigrams.Count(other.Contains);
                if (shared >= 0.5 * (bigrams.Count + other.Count - shared))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// An earlier reply's sentences and word pairs, computed once per string instance: the history a conversation
    /// carries from turn to turn is the same strings (the transcript's history windows), so an earlier reply is not
    /// taken apart again every turn. The table holds nothing once the string is gone.
    /// </summary>
    private static ReplyShape ShapeOf(string earlier) => Shapes.GetValue(earlier, static text =>
    {
        var sentences = new HashSet<string>(StringComparer.Ordinal);
        foreach (string sentence in SentenceSplitter.Split(text))
        {
            sentences.Add(Normalize(sentence));
        }

        return new ReplyShape(sentences, Bigrams(text));
    });

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, ReplyShape> Shapes = new();

    private sealed record ReplyShape(HashSet<string> Sentences, HashSet<string> Bigrams);

    private static string Normalize(string sentence) => string.Join(' ', Words(sentence));

    private static HashSet<string> Bigrams(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        foreach (string word in Words(text))
        {
            if (previous is not null)
            {
                set.Add(previous + " " + word);
            }

            previous = word;
        }

        return set;
    }

    private static HashSet<string> ContentStems(string text)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in Words(text))
        {
            if (IsContent(word))
            {
                stems.Add(Stem(word));
            }
        }

        return stems;
    }

    private static bool IsContent(string word) => word.Length >= 3 && !Stopwords.Contains(word);

    private static string Stem(string word) => word.Length > 5 ? word[..5] : word;

    private static int WordCount(string text) => Words(text).Count();

    /// <summary>Lower-case words (letters, digits, inner apostrophes and hyphens; curly apostrophes folded).</summary>
    private static IEnumerable<string> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || ((text[i] is '\'' or '\u2019' or '-') && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            if (i > start)
            {
                yield return text[start..i].ToLowerInvariant().Replace('\u2019', '\'');
            }
        }
    }

    [GeneratedRegex(@"\b(?:(?:that|this|it|which|all (?:of )?this|all that|what you(?:'re| are|'ve| have) (?:going|been) through)(?:'s| is| has been| was)? (?:sounds?|must (?:be|have been|feel)|seems?|feels?)\b|i(?:'m| am) (?:so |really |truly |very )?sorry\b|i can (?:hear|see|imagine|only imagine|tell|understand)\b|makes? (?:complete |total |a lot of )?sense\b|no wonder\b|i(?:'m| am) (?:so |really |very )?glad\b|my heart (?:goes out|breaks|aches)|i feel (?:so |really )?(?:sad|sorry)\b|how (?:hard|painful|lonely|frightening|exhausting|awful|heavy|scary|upsetting)\b|(?:that|this|it)(?:'s| is| has been) (?:so |really |such |incredibly |very )?(?:hard|tough|awful|painful|a lot|heavy|difficult|exhausting|frightening|lonely)\b|i hear (?:you|how|that)\b|i understand\b|sorry to hear\b|what a (?:relief|lot|hard)\b|understandably\b|of course you(?:'d| would)? (?:feel|be)\b|(?:that|it)(?:'s| is) (?:really )?(?:good|great|lovely|wonderful) to hear\b|that (?:makes|made) me (?:sad|happy|glad))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex WarmthRegex();

    [GeneratedRegex(@"\b(?:sounds?(?: like)?|must (?:be|feel|have been|have felt)|can (?:be|feel)|(?:is|was|has been|feels?) (?:so|really|such|incredibly))\s+(?:(?:so|really|very|incredibly|genuinely|deeply|quite|pretty|such|a|an|truly|absolutely|completely|like)\s+){0,3}(?<w>[A-Za-z'-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex FeelingFrameRegex();

    [GeneratedRegex(@"^\W*so\b(?=[^.?!]*\byou)|\b(?:it (?:sounds|seems|feels|looks) (?:like|as if|as though)|(?:sounds|seems) like (?:you|your|things|everything|work|it)|so you(?:'re|'ve| are| have| feel| felt|'d| were)|you(?:'re| are) (?:feeling|saying|carrying|dealing|going through|describing|worried|afraid|scared|exhausted|stuck|caught|left|trying|holding|juggling|grieving|missing|still)|you(?:'ve| have) been|you (?:feel|felt|seem|sound|mentioned|said|described|miss|want|wish|can't|couldn't|don't)|from what you(?:'re| are)? ?(?:saying|describing|wrote|said|shared|describe)|if i(?:'m| am)? (?:understand|hearing|hear) (?:you|correctly|that|this|it)|what i(?:'m| am) hearing|i(?:'m| am) hearing (?:that|how)|it's as (?:if|though)|it must (?:feel|be) like|part of you|you (?:may|might|must|could) (?:be|have been) (?:feeling|grieving|carrying|missing|wondering|worried|afraid|scared|exhausted|stuck|holding|trying|dealing|going through|left|hoping|blaming|questioning)|your (?:\w+ )?(?:has|have|is|are|was|were|keeps|feels))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ReflectionRegex();

    [GeneratedRegex(@"\b(?:what|anything|something|who) else\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MovesOnRegex();

    [GeneratedRegex(@"\bi (?:understand|get|can see|know) (?:how|what|why|that) you\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex GenericUnderstandingRegex();

    [GeneratedRegex(@"^\W*(?:and |so |but )?(?:what|how|which|when|where|who|in what way|could you (?:tell|say|share|describe)|can you (?:tell|say|share|describe)|would you (?:like|be willing|feel comfortable|want) to (?:tell|share|say|talk|describe)|is there (?:anything|something|a part|one part|someone)|are there (?:moments|times|parts|people))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex OpenQuestionRegex();

    [GeneratedRegex(@"\b(?:tell me (?:more|about|what|how)|i(?:'d| would) (?:like|love|really like) to (?:hear|understand|know) (?:more|about|what|how)|i(?:'m| am) (?:wondering|curious) (?:what|how|about|whether|if)|i wonder (?:what|how|if|whether)|say (?:a bit |a little )?more about|if you(?:'d| would) like to (?:share|talk|say) more)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex InvitationRegex();

    /// <summary>Advice put as a question that the guard's advice pattern (<see cref="ReplyPatterns.IsAdvice"/>) does not cover; used with it.</summary>
    [GeneratedRegex(@"\b(?:did you try|wouldn't it help|could you (?:try|just)|can't you (?:just )?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex AdviceQuestionRegex();

    [GeneratedRegex(@"\b(?:i hear you|i understand|i(?:'m| am) sorry to hear (?:that|this)|that must be (?:hard|tough|difficult)|i(?:'m| am) (?:always )?here for you|stay strong|hang in there|sending (?:hugs|love|positive)|you(?:'ve| have) got this|you(?:'re| are) not alone|that's (?:tough|rough|hard)|it will get better|things will get better|that sucks|i see|okay|ok|thanks? (?:you )?for (?:sharing|telling me|opening up)|tell me more)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex StockRegex();
}
