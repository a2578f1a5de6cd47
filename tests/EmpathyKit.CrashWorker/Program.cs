// The crash-test worker: appends to an encrypted SQLite transcript as fast as durability allows, from several
// writers at once, and acknowledges on standard output each record only after its receipt says it is on disk.
// The test kills this process with SIGKILL at a random moment and then checks every acknowledged record.
//
// Usage: EmpathyKit.CrashWorker <database> <key-file> <run> <writers> [pause-ms]
//        EmpathyKit.CrashWorker outbox <database> <key-file> <endpoint> <secret> <turns> <run>
// The outbox mode sends <turns> crisis messages (one conversation each) through the pipeline with a webhook channel,
// prints "esc <id>" as each reply returns (the escalation is durable by then), then "sent", and keeps delivering
// until it is killed.
// pause-ms (default 0) is a pause after each acknowledged record, as a chat's turns are paced: SQLite does not queue
// writers fairly, so two unpaced processes can leave one of them without the write lock for a whole round.
using EmpathyKit;
using Microsoft.Extensions.DependencyInjection;

if (args is ["outbox", ..])
{
    return await Outbox.RunAsync(args[1..]);
}

int pause = 0;
if (args.Length is not (4 or 5) || !int.TryParse(args[2], out int run) || !int.TryParse(args[3], out int writers) || writers is < 1 or > 64
    || (args.Length == 5 && (!int.TryParse(args[4], out pause) || pause is < 0 or > 1000)))
{
    Console.Error.WriteLine("usage: EmpathyKit.CrashWorker <database> <key-file> <run> <writers 1..64> [pause-ms 0..1000]");
    return 2;
}

var services = new ServiceCollection();
services.AddEmpathyKit().UseKeyFile(args[1]).UseSqliteTranscripts(args[0]);
await using ServiceProvider provider = services.BuildServiceProvider();
var log = provider.GetRequiredKeyedService<ITranscriptLog>(EmpathyKitServiceCollectionExtensions.DefaultName);
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var gate = new object();
lock (gate)
{
    output.WriteLine("ready");
}

await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
{
    // Subjects are shared by pairs of writers, so subject keys are created and used concurrently too.
    var address = new TranscriptAddress("crash", "subject-" + (writer / 2), "conversation-" + writer);
    for (int n = 0; ; n++)
    {
        string text = $"run {run} writer {writer} n {n}";
        TranscriptWriteReceipt receipt = await log.AppendAsync(address, [new TranscriptEntry(TranscriptRole.User, text, DateTimeOffset.UtcNow, RiskLevel.None, [])]);
        await receipt.Durable;
        lock (gate)
        {
            output.WriteLine($"ack {writer} {text} end");
        }

        if (pause > 0)
        {
            await Task.Delay(pause);
        }
    }
})));
return 0;

/// <summary>The outbox mode (see the usage above).</summary>
internal static class Outbox
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 6 || !Uri.TryCreate(args[2], UriKind.Absolute, out Uri? endpoint) || !int.TryParse(args[4], out int turns) || turns is < 0 or > 10_000)
        {
            Console.Error.WriteLine("usage: EmpathyKit.CrashWorker outbox <database> <key-file> <endpoint> <secret> <turns 0..10000> <run>");
            return 2;
        }

        var services = new ServiceCollection();
        services.AddEmpathyKit(o =>
            {
                o.Country = "GB";
                o.Escalations.QuickRetries = 0;
                o.Escalations.FirstRetryDelay = TimeSpan.FromSeconds(1);
                o.Escalations.MaxRetryDelay = TimeSpan.FromSeconds(2);
                o.Escalations.MaxAttempts = 1_000;
                o.Escalations.AttemptTimeout = TimeSpan.FromSeconds(2);
                o.Escalations.LeaseDuration = TimeSpan.FromSeconds(10);
                o.Escalations.PollInterval = TimeSpan.FromMilliseconds(500);
                o.Escalations.WaitForDelivery = TimeSpan.Zero;
            })
            .UseOfflineResponder()
            .UseKeyFile(args[1])
            .UseSqliteTranscripts(args[0])
            .AddWebhookEscalation(o =>
            {
                o.Endpoint = endpoint;
                o.Secrets.Add(args[3]);
                o.Timeout = TimeSpan.FromSeconds(2);
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        ISupportChat chat = provider.GetRequiredService<ISupportChat>();
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        output.WriteLine("ready");
        for (int n = 0; n < turns; n++)
        {
            SupportReply reply = await chat.SendAsync($"outbox-{args[5]}-{n}", "I have the pills in front of me and I'm going to take them all tonight");
            output.WriteLine(reply.Report.Escalation is { } e ? $"esc {e.EscalationId} {e.Status}" : "none");
        }

        output.WriteLine("sent");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
