using System.Text.Json;
using EmpathyKit.Handoff;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Handoff;

/// <summary>
/// The request-for-a-person rules on development examples written with them (each a mechanism: a frame, an
/// imperative, a question, a bare request, and the hard negatives: negation, the past, someone else, bot questions,
/// people in other senses), and once on the frozen test split written independently before them.
/// </summary>
public sealed class HumanRequestDetectorTests
{
    [Theory]
    [InlineData("can I talk to a real person")]
    [InlineData("Could I please speak with a human?")]
    [InlineData("I want to talk to an actual person about this")]
    [InlineData("I'd rather chat to someone from your team")]
    [InlineData("is it possible to be connected to a member of staff?")]
    [InlineData("let me speak to an operator")]
    [InlineData("connect me with a live agent")]
    [InlineData("put me through to a human please")]
    [InlineData("get me someone real")]
    [InlineData("i want a human")]
    [InlineData("I need a real person right now")]
    [InlineData("is there a real person I can talk to?")]
    [InlineData("are there any humans here")]
    [InlineData("human please")]
    [InlineData("Real person.")]
    [InlineData("agent")]
    [InlineData("talk to a human")]
    [InlineData("can i tlk to a hooman pls")]
    [InlineData("lemme talk to sum1 real")]
    [InlineData("I don't want a bot, I want to talk to a person")]
    [InlineData("this is useless. can I speak to one of your counsellors")]
    [InlineData("Can I speak to a counsellor?")]
    [InlineData("Why can't I talk to a human?")]
    [InlineData("I've had a horrible week and honestly I'd rather talk to a real human being about it")]
    public void A_request_for_a_person_is_recognised(string message) => Assert.True(HumanRequestDetector.IsRequest(message), message);

    [Theory]
    [InlineData("I talked to a real person at the clinic yesterday")]
    [InlineData("I spoke with a human resources officer about my contract")]
    [InlineData("my mum wants me to talk to a real person about it")]
    [InlineData("she asked if she could speak to a counsellor")]
    [InlineData("I don't want to talk to a person right now, just listen")]
    [InlineData("I never asked to speak to a human")]
    [InlineData("are you a bot?")]
    [InlineData("Are you a real person or an AI?")]
    [InlineData("am I talking to a human")]
    [InlineData("I'm a people person")]
    [InlineData("humans are exhausting")]
    [InlineData("I need someone to love me")]
    [InlineData("I just want someone to talk to in my life")]
    [InlineData("I wish I had a real friend")]
    [InlineData("I want a human connection, not more screens")]
    [InlineData("is there a human side to this job")]
    [InlineData("how do I find a therapist near me")]
    [InlineData("should I see a counsellor about my anxiety?")]
    [InlineData("can I talk to you about something that happened at work?")]
    [InlineData("I took the bus to work and talked to nobody")]
    [InlineData("")]
    [InlineData("   ")]
    public void Other_messages_are_not_requests(string message) => Assert.False(HumanRequestDetector.IsRequest(message), message);

    [Theory]
    [InlineData("\ud800 human please")]
    [InlineData("human\u202e please")]
    [InlineData("e\u0301 real person")]
    public void Malformed_text_never_throws(string message) => _ = HumanRequestDetector.IsRequest(message);

    [Fact]
    public void A_very_long_message_is_read_only_at_its_start_and_never_throws()
    {
        string message = string.Concat(Enumerable.Repeat("can I talk to a ", 20_000)) + "human";
        Assert.False(HumanRequestDetector.IsRequest(message));
        Assert.True(HumanRequestDetector.IsRequest("can I talk to a human? " + new string('x', 50_000)));

        // The cut never splits a surrogate pair (an emoji at the boundary).
        _ = HumanRequestDetector.IsRequest(string.Concat(Enumerable.Repeat("\U0001F600 ", 2_000)));
        _ = HumanRequestDetector.IsRequest(new string('a', 999) + "\U0001F600");
    }

    /// <summary>
    /// The frozen test split (<c>data/handoff/test.jsonl</c>, 80 requests and 80 hard negatives in 17 styles), written by
    /// someone who had not seen these rules, before they existed. Only its totals are printed, never its misses; nothing
    /// was tuned on it. Figures are in docs/oversight.md; the floors guard against regressions.
    /// </summary>
    [Fact]
    public void The_frozen_test_split_keeps_its_figures()
    {
        (double recall, double falseAlarms, _) = Evaluate("test.jsonl");
        Assert.InRange(recall, TestRecallFloor, 1.0);
        Assert.InRange(falseAlarms, 0.0, TestFalseAlarmCeiling);
    }

    /// <summary>The development set (<c>data/handoff/dev.jsonl</c>, written independently too, and tuned on): its misses are printed.</summary>
    [Fact]
    public void The_development_set_keeps_its_figures()
    {
        (double recall, double falseAlarms, IReadOnlyList<string> misses) = Evaluate("dev.jsonl");
        foreach (string miss in misses)
        {
            Console.WriteLine(miss);
        }

        Assert.InRange(recall, DevRecallFloor, 1.0);
        Assert.InRange(falseAlarms, 0.0, DevFalseAlarmCeiling);
    }

    // Measured on 2026-12-03 (docs/oversight.md): test 0.912 recall (73/80) and 0.037 false alarms (3/80), its misses
    // never read; development 1.000 and 0.000 after tuning on it. The floors leave room for two more misses on each side.
    private const double TestRecallFloor = 0.885;
    private const double TestFalseAlarmCeiling = 0.0625;
    private const double DevRecallFloor = 0.98;
    private const double DevFalseAlarmCeiling = 0.02;

    private static (double Recall, double FalseAlarms, IReadOnlyList<string> Misses) Evaluate(string file)
    {
        string path = Path.Combine(SharedData.RepositoryRoot, "data", "handoff", file);
        int tp = 0, fp = 0, fn = 0, tn = 0;
        var misses = new List<string>();
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            bool expected = doc.RootElement.GetProperty("request").GetBoolean();
            string text = doc.RootElement.GetProperty("text").GetString()!;
            bool found = HumanRequestDetector.IsRequest(text);
            (tp, fp, fn, tn) = (expected, found) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (false, true) => (tp, fp + 1, fn, tn),
                (true, false) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
            if (expected != found)
            {
                misses.Add($"{(expected ? "missed" : "false alarm")} [{doc.RootElement.GetProperty("style").GetString()}] {text}");
            }
        }

        double recall = tp / (double)(tp + fn);
        double falseAlarms = fp / (double)(fp + tn);
        Console.WriteLine($"handoff {file}: recall {recall:F3} ({tp}/{tp + fn}), false alarms {falseAlarms:F3} ({fp}/{fp + tn})");
        return (recall, falseAlarms, misses);
    }
}
