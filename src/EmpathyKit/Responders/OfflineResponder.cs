using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using EmpathyKit.Guard;
using EmpathyKit.Pii.Gazetteers;
using EmpathyKit.Text;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Responders;

/// <summary>
/// A reflective responder that needs no model. It follows the order that support research recommends: it names the
/// feeling the sentiment stage found (emotional reaction), reflects the user's own words back with first person turned
/// to second (interpretation), and asks one open question (exploration). It handles greetings, thanks, questions about
/// what it is, and goodbyes; a request for a diagnosis or medication advice is answered by listening, and the
/// disclaimer policy adds the boundary note.
/// </summary>
/// <remarks>
/// <para>
/// It never mirrors risk. At moderate crisis risk and above (<see cref="TurnReport.Crisis"/>) it does not reflect at all:
/// it checks in, thanking the person for telling it, asking directly and gently about their safety, and inviting them
/// to reach a person now (the disclaimer policy adds the crisis lines, so it writes no numbers). At every level it
/// refuses to reflect a message that holds risk vocabulary (means, killing, dying, self-harm, plans), because the
/// detector may have missed it, and uses a general reflection instead.
/// </para>
/// <para>
/// It never gives advice. When the user asks for ideas in the first turns it explores first; later it offers to think
/// things through together and asks permission. No sentence it has already said in the conversation (as far as the
/// history passed to it reaches, <c>MaxHistoryMessages</c>) is said again: each part is chosen from a rotation that
/// skips phrasings already used, and a part is left out rather than repeated (except the safety question and the invitation
/// to reach a person in a check-in, which are said again rather than left out).
/// </para>
/// <para>It sees only what the stages before it pass on (redacted text; the redaction stage restores placeholders).</para>
/// </remarks>
internal sealed partial class OfflineResponder : IChatClient
{
    private const int AdviceFreeTurns = GuardOptions.DefaultAdviceFreeTurns;

    private static readonly Dictionary<Emotion, string[]> Openers = new()
    {
        [Emotion.Sadness] = ["That sounds really painful.", "I'm so sorry; that sounds heavy to carry.", "That sounds like it has been hurting a lot.", "That sounds so sad and draining.", "I'm sorry it has been this painful.", "That sounds genuinely heartbreaking."],
        [Emotion.Anxiety] = ["That sounds really frightening.", "That sounds exhausting, living with that much worry.", "It makes sense that this feels scary.", "That sounds so unsettling.", "I can hear how anxious this has made you.", "That sounds nerve-racking."],
        [Emotion.Anger] = ["That sounds really frustrating.", "It makes sense that you'd feel angry.", "That sounds maddening.", "I can hear how frustrated you are.", "That sounds so unfair, and anger makes sense.", "That sounds infuriating."],
        [Emotion.Loneliness] = ["That sounds so lonely.", "Feeling that alone sounds really painful.", "That sounds isolating.", "I'm sorry; feeling unseen like that sounds lonely.", "That sounds like a lonely place to be.", "It sounds painful to feel that alone."],
        [Emotion.Hopelessness] = ["That sounds really bleak.", "I'm so sorry things feel this hopeless.", "That sounds like a very dark place to be.", "That sounds exhausting and discouraging.", "It makes sense to feel hopeless after so much.", "That sounds so heavy and hopeless."],
        [Emotion.Shame] = ["That sounds like a painful amount of guilt.", "It sounds painful to be this hard on yourself.", "That sounds like a lot of shame to carry.", "Carrying that much guilt sounds exhausting.", "I'm sorry; that sounds really painful to sit with.", "That sounds like heavy self-blame."],
        [Emotion.Overwhelm] = ["That sounds overwhelming.", "That sounds exhausting, holding all of that at once.", "No wonder you feel overwhelmed.", "That sounds like so much pressure.", "That sounds draining.", "I can hear how stretched and exhausted you are."],
        [Emotion.Joy] = ["That's really lovely to hear.", "That sounds wonderful.", "I'm so glad; that sounds great.", "That sounds like a happy moment.", "It's really good to hear that.", "That sounds exciting."],
        [Emotion.Gratitude] = ["I'm glad; it sounds like that meant a lot.", "That sounds lovely.", "It's good to hear that.", "I'm really glad to hear it.", "That sounds heartening.", "That's lovely to hear."],
        [Emotion.Relief] = ["That sounds like a real relief.", "I'm glad some of the weight has lifted.", "That sounds like a welcome change.", "What a relief that sounds.", "I'm glad; that sounds relieving.", "That sounds like it eased something."],
        [Emotion.Neutral] = ["Thank you for telling me.", "I'm listening.", "I'm glad you shared that.", "Thanks for putting that into words.", "I'm here and listening.", "Thank you for sharing that with me."],
        [Emotion.Disgust] = ["That sounds really upsetting.", "That sounds hard to stomach.", "It makes sense that this would upset you.", "That sounds awful to be around.", "That sounds really distressing.", "I can hear how upsetting that was."],
        // Surprise here is also confusion and wondering (the learned layer reads GoEmotions' sense of it), so half the
        // openers meet a question rather than a shock.
        [Emotion.Surprise] = ["That sounds like it caught you off guard.", "That sounds confusing and hard to make sense of.", "It sounds like that took you by surprise.", "That sounds like a lot to make sense of.", "That sounds confusing and sudden.", "It sounds like that has left you with questions."],
    };

    /// <summary>Openers for a feeling that persists, once the emotion's own openers have all been used.</summary>
    private static readonly string[] StillOpeners =
    [
        "I'm really sorry it's still this painful.",
        "That still sounds really heavy.",
        "I can hear how much this is still hurting.",
        "It sounds exhausting to keep feeling this way.",
        "I'm sorry it hasn't eased; that sounds so draining.",
        "That sounds painful to keep carrying.",
    ];

    private static readonly string[] Reflections =
    [
        "It sounds like {0}.",
        "So {0}.",
        "From what you're saying, {0}.",
        "If I'm hearing you right, {0}.",
        "It seems like {0}.",
        "What I'm hearing is that {0}.",
        "It sounds as if {0}.",
    ];

    private static readonly string[] FallbackReflections =
    [
        "It sounds like this has been weighing on you.",
        "It sounds like a lot has been building up.",
        "It seems like this has been on your mind a lot.",
        "It sounds like you've been carrying this for a while.",
    ];

    private static readonly string[] Questions =
    [
        "What has been the hardest part of this for you?",
        "How long have you been feeling this way?",
        "What goes through your mind when it gets like this?",
        "How are you feeling about it right now, as we talk?",
        "What would feel most helpful to talk about?",
        "Who, if anyone, knows how you've been feeling?",
        "What is a moment from this week that stays with you?",
        "What does a hard day look like for you at the moment?",
        "How has this been affecting your days and your sleep?",
        "What do you wish the people around you understood about this?",
        "When did you first notice things feeling like this?",
        "What has helped, even a little, on the heavier days?",
        "What feels most important for me to understand about this?",
        "How do you usually get through moments like this?",
        "What does this feel like in your body when it's at its worst?",
        "Which part of this would you most like to change?",
        "What was it like the last time things felt a little easier?",
        "How does this show up when you're on your own?",
        "What do you find yourself thinking about late at night?",
        "How would you describe this feeling to someone who had never had it?",
        "What has it been like carrying this without much support?",
        "Where do you notice it most during the day?",
    ];

    private static readonly string[] LastResort =
    [
        "I'm here and listening. Tell me more about what's happening for you.",
        "I'm still here with you. What's on your mind right now?",
        "Take your time; I'm listening. What would you like me to know?",
        "I'm with you. Tell me whatever feels most pressing.",
        "There's no rush. What feels most important to say next?",
    ];

    private static readonly Dictionary<Emotion, string[]> EmotionQuestions = new()
    {
        [Emotion.Anxiety] = ["What worries you most when it starts?", "What does the fear tell you might happen?"],
        [Emotion.Loneliness] = ["Who do you miss having around the most?", "When do you feel the loneliness most?"],
        [Emotion.Anger] = ["What about it gets to you the most?", "What would you want them to understand?"],
        [Emotion.Shame] = ["What does that critical voice say to you?", "How would you see it if a friend had done the same?"],
        [Emotion.Hopelessness] = ["What has made things feel this hopeless lately?", "What has been keeping you going, even a little?"],
        [Emotion.Overwhelm] = ["Which part feels heaviest right now?", "What is taking up most of your energy at the moment?"],
        [Emotion.Joy] = ["What made it feel so good?", "How are you feeling about it now?"],
        [Emotion.Gratitude] = ["What made the difference for you?", "How are you feeling now?"],
        [Emotion.Relief] = ["What changed that made it lighter?", "How are you feeling now that it's eased?"],
    };

    private static readonly string[] Greetings =
    [
        "Hi, I'm glad you're here. How are you feeling today?",
        "Hello. What's on your mind today?",
        "Hi there. How have things been for you lately?",
        "Hello again. What would you like to talk about today?",
        "Hi. How are you doing right now, honestly?",
    ];

    private static readonly string[] Thanks =
    [
        "You're welcome. I'm glad talking has helped a little. How are you feeling now?",
        "Of course. Is there anything else on your mind?",
        "I'm glad I could be here. What feels important to you right now?",
        "You're very welcome. What would you like to talk about next?",
        "I'm glad this helped. How are you doing at this moment?",
    ];

    private static readonly string[] Goodbyes =
    [
        "Take care of yourself. I'm here whenever you want to talk again.",
        "Goodbye for now. You're welcome back any time.",
        "Thank you for talking with me. Look after yourself.",
        "Take care. The people who care about you are there too, and so is this chat whenever you need it.",
    ];

    private static readonly string[] Identity =
    [
        "I'm an AI support companion. I can listen and help you put things into words, but I'm not a person or a therapist, and I can't diagnose or give medical advice. What would you like to talk about?",
        "I'm a computer program, an AI, not a human. I'm here to listen without judging, though I can't replace a therapist or a doctor. What's on your mind?",
        "I'm an AI, not a person. I'm here to listen and to help you think things through. What would you like to talk about today?",
    ];

    private static readonly string[] ExploreFirst =
    [
        "Before we get to ideas, I'd like to understand a bit more.",
        "I'd like to understand it better before we think about what might help.",
        "Let's make sure I understand what's going on first.",
    ];

    private static readonly string[] OfferTogether =
    [
        "If it would help, we could think through some options together, at your pace.",
        "We could look at what might help together, if you'd like that.",
        "If you want, we can think about small next steps together.",
    ];

    /// <summary>The first part of a check-in: kind acknowledgement and thanks, without the user's words.</summary>
    private static readonly string[] CheckInOpeners =
    [
        "Thank you for telling me; I'm really glad you did, and I'm sorry you're hurting this much.",
        "I'm really glad you told me. That took courage, and I'm here with you.",
        "Thank you for trusting me with this. I can hear that you're in a lot of pain.",
        "I'm so sorry things are this hard, and thank you for saying it out loud.",
        "Thank you for being honest with me about how bad things are. I'm glad you reached out.",
        "I'm really glad you're talking to me about this, and I'm sorry it hurts so much.",
    ];

    /// <summary>The second part of a check-in: a direct, gentle question about safety.</summary>
    private static readonly string[] SafetyQuestions =
    [
        "I want to ask you directly, because it matters: are you thinking about ending your life?",
        "Are you safe right now?",
        "Can I ask you something directly: are you having thoughts of ending your life?",
        "I'd like to check in on your safety: are you safe where you are right now?",
        "Are you thinking about ending your life right now?",
        "How safe are you feeling right now, at this moment?",
    ];

    /// <summary>The last part of a check-in: an invitation to reach a person now (the crisis lines come as a disclaimer).</summary>
    private static readonly string[] ReachPerson =
    [
        "You don't have to carry this alone; a person you trust, or a crisis line, can be with you in this right now.",
        "If you can, please reach out to someone now, a person you trust or a crisis line, so you're not on your own with this.",
        "You deserve support from a real person right now, someone close to you or a crisis line.",
        "Reaching a person now, a friend, family member or crisis line, could help you get through the next few hours.",
        "If there's someone you trust nearby, letting them know how you're feeling right now could really help.",
        "You matter, and you don't have to get through this alone; please let a person help you right now, someone you trust or a crisis line.",
    ];

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string reply = Compose([.. messages], options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { FinishReason = ChatFinishReason.Stop, ModelId = "empathykit-offline" });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string reply = Compose([.. messages], options);
        int start = 0;
        while (start < reply.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int next = reply.IndexOf(' ', Math.Min(reply.Length - 1, start + 12));
            int end = next < 0 ? reply.Length : next + 1;
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply[start..end]) { ModelId = "empathykit-offline" };
            start = end;
            await Task.Yield();
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <summary>Gets what the responder says of itself (<see cref="ChatClientMetadata"/>): a provider named "empathykit-offline".</summary>
    internal static ChatClientMetadata Metadata { get; } = new("empathykit-offline", providerUri: null, defaultModelId: "offline-responder");

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Composes the reply to the last user message (internal for tests).</summary>
    internal static string Compose(List<ChatMessage> messages, ChatOptions? options)
    {
        ChatMessage? last = messages.LastOrDefault(m => m.Role == ChatRole.User);
        string text = last?.Text?.Trim() ?? string.Empty;
        var said = new Said(messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text));
        int turn = Math.Max(0, messages.Count(m => m.Role == ChatRole.User) - 1);
        string lower = text.ToLowerInvariant();
        TurnReport? report = options.GetTurnReport();

        if (report?.Crisis is { } crisis && crisis.Reaches(RiskLevel.Moderate))
        {
            // At moderate risk and above the reply never reflects or quotes the user: it checks in on their safety,
            // whatever kind of message this is (a goodbye after a disclosure still gets the safety question).
            return CheckIn(said, turn);
        }

        if (GreetingRegex().IsMatch(lower))
        {
            return said.Pick(Greetings, turn) ?? said.Pick(Questions, turn) ?? Greetings[0];
        }

        if (ThanksRegex().IsMatch(lower))
        {
            return said.Pick(Thanks, turn) ?? said.Pick(Questions, turn) ?? Thanks[0];
        }

        if (GoodbyeRegex().IsMatch(lower))
        {
            return said.Pick(Goodbyes, turn) ?? Goodbyes[0];
        }

        if (IdentityRegex().IsMatch(lower))
        {
            return said.Pick(Identity, turn) ?? Identity[0];
        }

        Emotion emotion = report?.Sentiment?.Dominant ?? Emotion.Neutral;
        if (emotion == Emotion.Neutral && report?.Sentiment?.Valence < -0.2)
        {
            // Negative without a named emotion: respond to the distress, not to a neutral remark.
            emotion = Emotion.Sadness;
        }
        var parts = new List<string?>(4) { said.Pick(Openers[emotion], turn) ?? (report?.Sentiment?.Valence < 0 ? said.Pick(StillOpeners, turn) : null) };
        string? reflection = Reflect(text);
        string[] reflections = reflection is null ? [] : [.. Reflections.Select(frame => string.Format(CultureInfo.InvariantCulture, frame, reflection))];
        parts.Add(said.Pick(reflections, turn + 1) ?? said.Pick(FallbackReflections, turn));

        // A request for a diagnosis or medication advice gets the disclaimer policy's boundary note, not a second one here.
        if (!ReplyPatterns.AsksForDiagnosisOrMedication(text) && ReplyPatterns.AskedForAdvice(text))
        {
            parts.Add(turn < AdviceFreeTurns ? said.Pick(ExploreFirst, turn) : said.Pick(OfferTogether, turn));
        }

        string[] questions = EmotionQuestions.TryGetValue(emotion, out string[]? specific) && turn % 2 == 0 ? [.. specific, .. Questions] : [.. Questions, .. specific ?? []];
        parts.Add(said.Pick(questions, turn));
        string reply = string.Join(' ', parts.Where(p => p is not null));
        return reply.Length > 0 ? reply : said.Pick(LastResort, turn) ?? LastResort[turn % LastResort.Length];
    }

    /// <summary>
    /// A check-in for moderate risk and above: acknowledgement and thanks, a direct question about safety, and an
    /// invitation to reach a person, each chosen from a rotation like the other parts. The safety question and the
    /// invitation are repeated rather than left out once every phrasing has been used.
    /// </summary>
    private static string CheckIn(Said said, int turn) => string.Join(' ', new[]
    {
        said.Pick(CheckInOpeners, turn),
        said.Pick(SafetyQuestions, turn) ?? SafetyQuestions[turn % SafetyQuestions.Length],
        said.Pick(ReachPerson, turn) ?? ReachPerson[turn % ReachPerson.Length],
    }.Where(p => p is not null));

    /// <summary>
    /// Turns the user's first clause about themselves (one with I, me, my…) into a second-person reflection
    /// ("I can't sleep" → "you can't sleep"), in lower case unless it opens with a name ("Sam and you…");
    /// <see langword="null"/> when no clause is about the user, or when the message holds risk vocabulary (means,
    /// killing, dying, self-harm, plans), which is never repeated back whatever the assessed risk.
    /// </summary>
    internal static string? Reflect(string text)
    {
        if (MentionsRisk(text))
        {
            return null;
        }

        foreach (Match clause in ClauseRegex().Matches(text))
        {
            string fragment = LeadRegex().Replace(clause.Value.Trim(), string.Empty).Trim().TrimEnd('.', '!', ',', ';', ':', '-', ' ');
            if (fragment.Length < 8 || fragment.Length > 140 || text.AsSpan(clause.Index + clause.Length).TrimStart().StartsWith("?") || YouRegex().IsMatch(fragment))
            {
                continue;
            }

            bool swapped = false;
            string reflected = PronounRegex().Replace(fragment, m =>
            {
                swapped = true;
                return m.Value.ToLowerInvariant() switch
                {
                    "i was" => "you were",
                    "i am" => "you are",
                    "i" => "you",
                    "i'm" or "im" or "i’m" => "you're",
                    "i've" or "ive" or "i’ve" => "you've",
                    "i'll" => "you'll",
                    "i'd" => "you'd",
                    "me" => "you",
                    "my" => "your",
                    "mine" => "yours",
                    "myself" => "yourself",
                    "am i" => "are you",
                    _ => m.Value,
                };
            });

            if (!swapped)
            {
                continue;
            }

            if (ReplyPatterns.IsAdvice(reflected) || HasViolation(reflected))
            {
                // "I should have…" must not come back as "you should have…": the bot never says what the guard blocks.
                continue;
            }

            return StartClause(reflected);
        }

        return null;
    }

    /// <summary>
    /// Gets whether the text holds words about means, methods, plans, ingestion or harm ("pills", "rope", "bleach",
    /// "overdose", "kill", "die", "suicide", "cutting", "planning"…): one scan of the whole message.
    /// </summary>
    internal static bool MentionsRisk(string text) => RiskWordRegex().IsMatch(text);

    /// <summary>
    /// Makes a reflected clause fit mid-sentence after a frame ("So …", "It sounds like …"): the first word loses the
    /// capital it had at the start of the user's sentence unless it looks like a name (not a common English word, an
    /// acronym, a placeholder), and a clause whose subject the user left out ("Been planning your week") gets one back.
    /// </summary>
    private static string StartClause(string clause)
    {
        Match lead = LeadWordRegex().Match(clause);
        if (!lead.Success)
        {
            return clause;
        }

        string word = lead.Value;
        string lower = word.ToLowerInvariant();
        string rest = clause[word.Length..];
        if (rest.Length > 1 && rest[0] == ' ' && char.IsLetter(rest[1]) && SubjectlessStarts.TryGetValue(lower.Replace('’', '\''), out string? subject))
        {
            return subject + " " + lower + rest;
        }

        return KeepsCapital(word) ? clause : lower + rest;
    }

    /// <summary>Whether a clause's first word keeps its capital: "I", an acronym ("ADHD"), or a name-like word that is not common English ("Sam", "London").</summary>
    private static bool KeepsCapital(string word)
    {
        if (!char.IsUpper(word[0]))
        {
            return true;
        }

        if (word == "I" || (word.Length > 1 && word.All(c => !char.IsLetter(c) || char.IsUpper(c))) || word.Skip(1).Any(char.IsUpper))
        {
            return true;
        }

        // The first letters of "Can't" or "Everyone's" are the word to look up.
        int apostrophe = word.IndexOfAny(['\'', '’']);
        string stem = (apostrophe > 0 ? word[..apostrophe] : word).ToLowerInvariant();
        return !NameGazetteer.Default.CommonWords.Contains(stem);
    }

    private static bool HasViolation(string text)
    {
        var found = new List<string>(0);
        ReplyPatterns.FindViolations(text, new GuardContext(int.MaxValue, RiskLevel.None), 0, found);
        return found.Count > 0;
    }

    /// <summary>
    /// First words of a clause whose subject the user left out ("Been awake all night", "Can't stop crying"), with the
    /// subject a reflection puts back. Gerunds that can be a subject themselves ("being", "having", "getting"), adverbs
    /// ("just", "still") and participles that also work as adjectives ("lost") are not here.
    /// </summary>
    private static readonly FrozenDictionary<string, string> SubjectlessStarts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["been"] = "you've", ["feeling"] = "you're", ["struggling"] = "you're", ["trying"] = "you're", ["crying"] = "you're",
        ["can't"] = "you", ["cant"] = "you", ["cannot"] = "you", ["couldn't"] = "you", ["don't"] = "you", ["dont"] = "you",
        ["didn't"] = "you", ["won't"] = "you", ["wouldn't"] = "you", ["haven't"] = "you", ["keep"] = "you", ["kept"] = "you",
        ["feel"] = "you", ["felt"] = "you", ["miss"] = "you", ["missed"] = "you", ["hate"] = "you", ["need"] = "you",
        ["wish"] = "you",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The phrasings already used in the conversation, so none is said twice.</summary>
    private sealed class Said(IEnumerable<string> replies)
    {
        private readonly string _all = string.Join("\n", replies);

        /// <summary>Picks the first option, rotating from <paramref name="seed"/>, that was not said before; <see langword="null"/> when all were.</summary>
        public string? Pick(string[] options, int seed)
        {
            for (int i = 0; i < options.Length; i++)
            {
                string option = options[(seed + i) % options.Length];
                if (!_all.Contains(option, StringComparison.OrdinalIgnoreCase))
                {
                    return option;
                }
            }

            return null;
        }
    }

    [GeneratedRegex(@"^(?:hi|hello|hey|hiya|heya|yo|good (?:morning|afternoon|evening))\b[\s!.,]*(?:there|again|you)?[\s!.,]*$", RegexOptions.CultureInvariant, 250)]
    private static partial Regex GreetingRegex();

    [GeneratedRegex(@"^(?:thanks|thank you|thx|ty|cheers|that helped|that's helpful|this helped)\b[^?]{0,60}$", RegexOptions.CultureInvariant, 250)]
    private static partial Regex ThanksRegex();

    [GeneratedRegex(@"^(?:bye|goodbye|good night|goodnight|see you|see ya|talk later|talk soon|i have to go|i've got to go|gotta go|i need to go)\b[^?]{0,60}$", RegexOptions.CultureInvariant, 250)]
    private static partial Regex GoodbyeRegex();

    [GeneratedRegex(@"\b(?:are you (?:a |an )?(?:bot|robot|human|real|ai|person|machine|computer|therapist|real person)|who are you|what are you|am i (?:talking|chatting) (?:to|with) (?:a |an )?(?:bot|robot|human|real person|ai|person|machine))\b", RegexOptions.CultureInvariant, 250)]
    private static partial Regex IdentityRegex();

    [GeneratedRegex(@"[^.!?;\n]{1,200}", RegexOptions.CultureInvariant, 250)]
    private static partial Regex ClauseRegex();

    [GeneratedRegex(@"^(?:(?:and|but|so|well|honestly|idk|ugh|um|uh|like|also|anyway|basically|hi|hey|hello|ok|okay|yeah|yes|no|i mean|to be honest|tbh|sorry|oh|ah|wow|omg|lol|lmao|haha|damn|man|dude|god|gosh|jeez|geez|jeepers|welp|meh|hmm|argh|sigh|yep|nope|nah|sure|right|actually|literally|seriously)\b[\s,!.]*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex LeadRegex();

    [GeneratedRegex(@"\b(?:am i|i was|i am|i['’]m|im|i['’]?ve|i'll|i'd|i|me|my|mine|myself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex PronounRegex();

    [GeneratedRegex(@"\b(?:you|your|you're|yours|yourself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex YouRegex();

    [GeneratedRegex(@"^[\p{L}][\p{L}'’]*", RegexOptions.CultureInvariant, 250)]
    private static partial Regex LeadWordRegex();

    /// <summary>
    /// Risk vocabulary: means (pills, rope, guns, knives, bleach, bridges…), overdose and ingestion, killing, dying,
    /// suicide, self-harm and cutting, plans, and a few passive-ideation phrases ("better off without me"). One pattern, generated at build time, scanned once per message.
    /// </summary>
    [GeneratedRegex(@"\b(?:pills?|tablets?|capsules?|meds|paracetamol|acetaminophen|painkillers?|sleeping tablets|antifreeze|bleach|poison\w*|rope|noose|ligature|guns?|firearms?|rifles?|shotguns?|pistols?|bullets?|knife|knives|blades?|razors?|bridges?|cliffs?|ledge|rooftops?|railway|train tracks|overdos\w*|od(?:'?d|ed)?|lethal|fatal|dos(?:e|es|age|ing)|swallow\w*|ingest\w*|handful|bottle of|jump(?:s|ed|ing)?|drown\w*|hang(?:s|ed|ing)? (?:myself|me)|hanged|suffocat\w*|strangl\w*|stab\w*|shoot(?:ing)? (?:myself|me)|shot myself|kill\w*|die[ds]?|dying|dead|death|suicid\w*|unalive|self[- ]?harm\w*|harm(?:s|ed|ing)?|hurt(?:ing)? myself|cut(?:s|ting)?|wrists?|end(?:ing)? (?:it|it all|my life|myself|things)|(?:it all|everything|my life) to end|better off without me|not (?:wake|waking) up|no reason to (?:live|go on)|goodbye (?:note|letter)s?|plan(?:s|ned|ning)?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex RiskWordRegex();
}
