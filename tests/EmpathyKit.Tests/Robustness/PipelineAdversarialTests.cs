using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Robustness;

/// <summary>
/// The whole pipeline over 100,000 generated messages (issue 15): hostile shapes (repetition of names, streets, dates,
/// cards, URLs and e-mails; lone surrogates; control and bidi characters; over-long messages; empty ones) mixed with
/// ordinary and crisis messages, in 500 conversations. No turn throws, every turn is answered in order with a reply,
/// every crisis sentence gets the crisis reply, and the crisis work stays within its bound.
/// </summary>
[Collection(nameof(PipelineAdversarialTests))]
public sealed class PipelineAdversarialTests
{
    private const int Conversations = 500;
    private const int TurnsEach = 200;

    private static readonly string[] Units =
    [
        "Mr. ", "a.", "12 Main Street ", "12/03/2024 ", "4111 1111 1111 1111 ", "http://a.com/x ", "a@b.co ", "hi John. ",
        "my name is Sam ", "Sam: ", "\ud800", "\u202e", "\u0007", "\U0001F600", "e\u0301", "\n", "[PERSON_1] ", "1",
    ];

    [Fact]
    public async Task A_hundred_thousand_hostile_turns_are_each_answered_and_the_work_is_bounded()
    {
        var detector = new ConstructCrisisDetector(ConstructLexicon.Default, CrisisRiskModel.Default);
        // The offline responder, not the recording fake: 100,000 recorded requests would hold every history in memory.
        using var host = new TestHost(configure: b => b.UseOfflineResponder().UseCrisisDetector(_ => detector));
        ISupportChat chat = host.Chat;
        long wordBound = 0;
        int empty = 0;
        int notWritten = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        async Task Converse(int conversation)
        {
            var random = new Random(20261201 + conversation);
            string id = $"adv-{conversation}";
            long bound = 0;
            for (int turn = 0; turn < TurnsEach; turn++)
            {
                (string message, bool crisis) = Message(random, turn);
                bound += Math.Min(message.Length, ConstructRules.WindowWords);
                SupportReply reply = await chat.SendAsync(id, message);
                if (reply.Status == SupportReplyStatus.EmptyMessage)
                {
                    Interlocked.Increment(ref empty);
                }
                else if (!reply.Report.TranscriptWritten)
                {
                    // Refused by a full write queue on a loaded machine: allowed, because it is reported.
                    Interlocked.Increment(ref notWritten);
                }
                if (string.IsNullOrEmpty(reply.Text) || reply.Status == SupportReplyStatus.Failed)
                {
                    failures.Enqueue($"{id} turn {turn}: {reply.Status}");
                }

                if (crisis && reply.Report.ReplySource != ReplySource.CrisisResponse)
                {
                    failures.Enqueue($"{id} turn {turn}: a crisis sentence got {reply.Report.ReplySource}");
                }
            }

            Interlocked.Add(ref wordBound, bound);
        }

        for (int start = 0; start < Conversations; start += 2)
        {
            await Task.WhenAll(Task.Run(() => Converse(start)), Task.Run(() => Converse(start + 1)));
        }

        Assert.Empty(failures);

        // Each message is composed once as the current turn and at most once per later turn that remembers it when the
        // turn cache has been emptied; a message composes at most one clause per word, and at most the window.
        Assert.InRange(detector.ClausesComposed, 1, (1 + ConstructCrisisDetector.MemoryTurns) * wordBound);
        await host.Transcripts.FlushAsync();
        // Every turn the report calls written is in the store: nothing is lost without a word.
        Assert.Equal(2L * ((Conversations * TurnsEach) - empty - notWritten), host.Store.Count);
    }

    private static (string Message, bool Crisis) Message(Random random, int turn)
    {
        switch (random.Next(200))
        {
            case < 10:
                return ("I have the pills in front of me and I'm going to take them all tonight.", true);
            case 10:
                return (TextShapes.Repeat(Units[random.Next(Units.Length)], random.Next(5_000, 20_000)), false);
            case < 70:
                return (TextShapes.Repeat(Units[random.Next(Units.Length)] + (random.Next(2) == 0 ? " " : ". "), random.Next(50, 1_500)), false);
            default:
                return ($"day {turn}: work was long again and I keep putting things off", false);
        }
    }
}

/// <summary>Runs the 100,000-turn test on its own: it keeps both cores busy for a minute, and other tests time patterns.</summary>
[CollectionDefinition(nameof(PipelineAdversarialTests), DisableParallelization = true)]
public sealed class PipelineAdversarialCollection;
