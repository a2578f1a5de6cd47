using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Responders;

/// <summary>
/// A reflective responder that needs no model: it names the feeling the sentiment stage found, reflects the user's own
/// words back (first person turned to second), and asks one open question. It handles greetings, thanks, questions
/// about what it is, and goodbyes, and rotates its phrasings so it does not repeat itself within a conversation.
/// </summary>
/// <remarks>
/// It sees only what the stages before it pass on (redacted text; placeholders are turned back into values by the
/// redaction stage on the way out). It gives no advice.
/// </remarks>
internal sealed partial class OfflineResponder : IChatClient
{
    private static readonly string[] Questions =
    [
        "What has been the hardest part of this for you?",
        "How long have you been feeling this way?",
        "What goes through your mind when it gets like this?",
        "How are you feeling about it right now, as we talk?",
        "What would feel most helpful to talk about?",
        "Who, if anyone, knows how you've been feeling?",
        "What is a moment from this week that stays with you?",
    ];

    private static readonly Dictionary<Emotion, string[]> Openers = new()
    {
        [Emotion.Sadness] = ["That sounds really heavy to carry.", "I'm sorry you're going through this; it sounds painful.", "That sounds like it's been hurting a lot."],
        [Emotion.Anxiety] = ["That sounds really unsettling, and worry like that can be exhausting.", "It makes sense that this feels frightening.", "Living with that much worry sounds hard."],
        [Emotion.Anger] = ["It makes sense that you'd feel frustrated.", "That sounds really maddening.", "I can hear how angry this has made you."],
        [Emotion.Loneliness] = ["Feeling alone like that can hurt so much.", "It sounds really isolating.", "Feeling unseen like that is painful."],
        [Emotion.Hopelessness] = ["It sounds like things feel really bleak right now.", "That sounds like a very dark place to be in.", "It sounds like it's hard to see a way forward right now."],
        [Emotion.Shame] = ["It sounds like you're being really hard on yourself.", "That sounds like a lot of weight to put on yourself.", "Carrying that much guilt sounds exhausting."],
        [Emotion.Overwhelm] = ["That sounds like a lot to be holding all at once.", "No wonder you feel stretched thin.", "That sounds exhausting."],
        [Emotion.Joy] = ["That's really good to hear.", "I'm glad something feels good right now.", "That sounds lovely."],
        [Emotion.Gratitude] = ["I'm glad that helped.", "It's good to hear that.", "Thank you for sharing that."],
        [Emotion.Relief] = ["That sounds like a real relief.", "I'm glad some of the weight has lifted.", "That sounds like a welcome change."],
        [Emotion.Neutral] = ["Thank you for telling me.", "I'm listening.", "I'm glad you shared that."],
        [Emotion.Disgust] = ["That sounds really hard to stomach.", "It makes sense that this would leave a bad taste.", "That sounds genuinely upsetting to be around."],
        [Emotion.Surprise] = ["That sounds like it caught you off guard.", "That sounds unexpected.", "It sounds like that took you by surprise."],
    };

    private static readonly string[] Reflections = ["It sounds like {0}.", "From what you're saying, {0}.", "So {0}."];

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
        serviceKey is null && serviceType?.IsInstanceOfType(this) == true ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static string Compose(List<ChatMessage> messages, ChatOptions? options)
    {
        ChatMessage? last = messages.LastOrDefault(m => m.Role == ChatRole.User);
        string text = last?.Text?.Trim() ?? string.Empty;
        int turn = messages.Count(m => m.Role == ChatRole.Assistant);
        string lower = text.ToLowerInvariant();

        if (GreetingRegex().IsMatch(lower))
        {
            return Pick(["Hi, I'm glad you're here. How are you feeling today?", "Hello again. What's on your mind today?", "Hi. How have things been for you since we last talked?"], turn);
        }

        if (ThanksRegex().IsMatch(lower))
        {
            return Pick(["You're welcome. I'm glad talking helped a little. How are you feeling now?", "Of course. Is there anything else on your mind?", "I'm glad I could be here. What feels important to you right now?"], turn);
        }

        if (GoodbyeRegex().IsMatch(lower))
        {
            return Pick(["Take care of yourself. I'm here whenever you want to talk again.", "Goodbye for now. You're welcome back any time.", "Thank you for talking with me. Look after yourself."], turn);
        }

        if (IdentityRegex().IsMatch(lower))
        {
            return "I'm an AI support companion. I can listen and help you put things into words, but I'm not a person or a therapist, and I can't diagnose or give medical advice. What would you like to talk about?";
        }

        TurnReport? report = options.GetTurnReport();
        Emotion emotion = report?.Sentiment?.Dominant ?? Emotion.Neutral;
        var builder = new StringBuilder();
        builder.Append(Pick(Openers[emotion], turn));
        string? reflection = Reflect(text);
        if (reflection is not null)
        {
            builder.Append(' ').Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(Reflections, turn + 1), reflection));
        }

        builder.Append(' ').Append(Pick(Questions, turn));
        return builder.ToString();
    }

    private static string Pick(string[] options, int turn) => options[turn % options.Length];

    /// <summary>Turns the user's first clause into a second-person reflection ("I can't sleep" → "you can't sleep").</summary>
    private static string? Reflect(string text)
    {
        Match clause = FirstClauseRegex().Match(text);
        if (!clause.Success)
        {
            return null;
        }

        string fragment = clause.Value.Trim();
        if (fragment.Length < 8 || fragment.Length > 160 || fragment.EndsWith('?'))
        {
            return null;
        }

        string swapped = PronounRegex().Replace(fragment, m => m.Value.ToLowerInvariant() switch
        {
            "i was" => "you were",
            "i am" => "you are",
            "i" => "you",
            "i'm" or "im" => "you're",
            "i've" => "you've",
            "i'll" => "you'll",
            "i'd" => "you'd",
            "me" => "you",
            "my" => "your",
            "mine" => "yours",
            "myself" => "yourself",
            _ => m.Value,
        });

        if (!swapped.StartsWith("you", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return char.ToLowerInvariant(swapped[0]) + swapped[1..].TrimEnd('.', '!', ',', ';');
    }

    [GeneratedRegex(@"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))\b[\s!.,]*$", RegexOptions.CultureInvariant, 250)]
    private static partial Regex GreetingRegex();

    [GeneratedRegex(@"^(?:thanks|thank you|thx|ty|cheers)\b", RegexOptions.CultureInvariant, 250)]
    private static partial Regex ThanksRegex();

    [GeneratedRegex(@"^(?:bye|goodbye|good night|goodnight|see you|talk later|i have to go|gotta go)\b", RegexOptions.CultureInvariant, 250)]
    private static partial Regex GoodbyeRegex();

    [GeneratedRegex(@"\b(?:are you (?:a )?(?:bot|robot|human|real|ai|person)|who are you|what are you)\b", RegexOptions.CultureInvariant, 250)]
    private static partial Regex IdentityRegex();

    [GeneratedRegex(@"^[^.!?;\n]{1,200}", RegexOptions.CultureInvariant, 250)]
    private static partial Regex FirstClauseRegex();

    [GeneratedRegex(@"\b(?:i was|i am|i'm|im|i've|i'll|i'd|i|me|my|mine|myself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex PronounRegex();
}
