using EmpathyKit.Empathy;
using EmpathyKit.Responders;
using EmpathyKit.Sentiment;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace EmpathyKit.Tests.Responders;

/// <summary>The offline responder is held to its own scorer: average ≥ 4 on varied distress messages, never an anti-pattern, never a repeated sentence.</summary>
public sealed class OfflineResponderQualityTests
{
    /// <summary>Distress messages written for this test (not the ones the responder's phrasings were written against).</summary>
    private static readonly string[] Distress =
    [
        "I've been crying every night since the funeral.",
        "My boss humiliated me in front of the whole team today.",
        "I can't breathe properly when I think about the exam.",
        "Nobody ever texts me first. I always have to reach out.",
        "I messed up my friendship with Sam and it's all my fault.",
        "There's too much. Kids, work, my mum's appointments, the bills.",
        "I don't see things getting better for me.",
        "My landlord is threatening to evict us and I'm panicking.",
        "i feel so empty and i dont know why",
        "Everyone at uni seems to have friends except me",
        "I keep thinking I'm a burden on my family.",
        "My son won't speak to me anymore.",
        "I hate how I look and I can't stop comparing myself.",
        "I was diagnosed with diabetes and I'm scared.",
        "Work has been crushing me for months",
        "I'm so angry at my brother for what he said at dinner.",
        "I lost my job on Friday.",
        "I have no energy to do anything anymore",
        "My partner shouted at me again last night.",
        "I feel guilty all the time, even when I haven't done anything.",
        "Honestly I just feel numb lately.",
        "I'm worried my drinking is getting out of hand.",
        "My exams start next week and I haven't revised at all.",
        "It's been a year since my dad died and it still hurts.",
        "I got bullied at school again today.",
        "Nobody cares about me and I don't see the point anymore.",
        "I'm exhausted from looking after everyone else.",
        "I can't stop overthinking every conversation I have.",
        "I'm so lonely since I moved here.",
        "My anxiety has been really bad this week.",
    ];

    private readonly ITestOutputHelper _output;

    public OfflineResponderQualityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Averages_at_least_four_on_written_distress_messages_and_trips_no_flag()
    {
        AssertQuality(Distress, minimumAverage: 4.0);
    }

    [SharedDataFact("eval/external/goemotions/dev.tsv")]
    public void Averages_at_least_four_on_unseen_negative_goemotions_comments_and_trips_no_flag()
    {
        // GoEmotions dev comments labelled sadness, grief, fear, nervousness, disappointment or remorse: real,
        // messy text nobody wrote for this responder.
        string[] names = File.ReadAllLines(SharedData.PathOf("eval/external/goemotions/emotions.txt"));
        var wanted = new HashSet<string>(["sadness", "grief", "fear", "nervousness", "disappointment", "remorse"], StringComparer.Ordinal);
        var messages = new List<string>();
        foreach (string line in File.ReadLines(SharedData.PathOf("eval/external/goemotions/dev.tsv")))
        {
            string[] parts = line.Split('\t');
            if (parts.Length >= 2 && parts[1].Split(',').Any(id => int.TryParse(id, out int i) && i < names.Length && wanted.Contains(names[i])))
            {
                messages.Add(parts[0]);
            }
        }

        Assert.True(messages.Count > 200, "expected the GoEmotions dev split");
        AssertQuality([.. messages.Take(400)], minimumAverage: 4.0);
    }

    [Fact]
    public void Never_repeats_a_sentence_across_a_long_conversation()
    {
        var scorer = new EpitomeScorer();
        var history = new List<ChatMessage>();
        var sentences = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int turn = 0; turn < 20; turn++)
        {
            string message = Distress[turn % 6] is var m && turn >= 6 ? "I still feel awful about it" : m;
            history.Add(new ChatMessage(ChatRole.User, message));
            string reply = Reply(history, message);
            EmpathyScore score = scorer.Score(new EmpathyScoreRequest(message, reply, turn, [.. history.Where(h => h.Role == ChatRole.Assistant).Select(h => h.Text)]));
            Assert.False(score.Flags.Contains(EmpathyFlags.Repetitive), $"turn {turn} repetitive: {reply}");
            foreach (string sentence in reply.Split(['.', '?', '!'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s.Split(' ').Length >= 4))
            {
                Assert.True(sentences.Add(sentence), $"turn {turn} repeated: {sentence}");
            }

            history.Add(new ChatMessage(ChatRole.Assistant, reply));
        }
    }

    private void AssertQuality(IReadOnlyList<string> messages, double minimumAverage)
    {
        var scorer = new EpitomeScorer();
        double sum = 0;
        var flagged = new List<string>();
        foreach (string message in messages)
        {
            string reply = Reply([new ChatMessage(ChatRole.User, message)], message);
            EmpathyScore score = scorer.Score(new EmpathyScoreRequest(message, reply));
            sum += score.Total;
            if (score.Flags.Count > 0)
            {
                flagged.Add($"{string.Join(',', score.Flags)}: {reply}");
            }

            if (score.Total < 4)
            {
                _output.WriteLine($"{score.Total} [{string.Join(' ', score.Signals)}] {message} => {reply}");
            }
        }

        double average = sum / messages.Count;
        _output.WriteLine($"average {average:0.00} over {messages.Count} messages");
        Assert.True(flagged.Count == 0, "flagged replies:\n" + string.Join('\n', flagged));
        Assert.True(average >= minimumAverage, $"average {average:0.00} < {minimumAverage}");
    }

    private static string Reply(List<ChatMessage> history, string message)
    {
        var options = new ChatOptions();
        options.SetTurnReport(new TurnReport { Sentiment = LexiconSentimentAnalyzer.Analyze(message) });
        return OfflineResponder.Compose(history, options);
    }
}
