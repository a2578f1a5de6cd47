// The EmpathyKit console sample: a support bot in the terminal. Offline by default (no keys, no network); with
// --model (and optionally --endpoint and --api-key-env) it uses an OpenAI-compatible model through EmpathyKit.OpenAI.
// Every turn passes through every stage; transcripts are encrypted in a local SQLite file.
// Works interactively or with piped standard input (one message a line). Type /quit to end.
using EmpathyKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

IConfiguration configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .Build();

string? model = null, apiKeyVariable = "OPENAI_API_KEY", resume = null;
Uri? endpoint = null;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--model" when value is not null:
            model = value;
            i++;
            break;
        case "--endpoint" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed):
            endpoint = parsed;
            i++;
            break;
        case "--api-key-env" when value is not null:
            apiKeyVariable = value;
            i++;
            break;
        case "--conversation" when value is not null:
            resume = value;
            i++;
            break;
        default:
            Console.Error.WriteLine("Usage: EmpathyKit.Samples.Console [--conversation ID] [--model NAME [--endpoint URL] [--api-key-env VARIABLE]]");
            Console.Error.WriteLine("  --conversation resumes a conversation by the id printed at the start of an earlier run.");
            Console.Error.WriteLine("  Without --model the offline responder answers (no network). The API key is read from VARIABLE (default OPENAI_API_KEY).");
            return 2;
    }
}

if (endpoint is not null && model is null)
{
    Console.Error.WriteLine("--endpoint needs --model.");
    return 2;
}

string databasePath = Path.Combine(EmpathyKitPaths.DataDirectory, "console-sample.db");
var services = new ServiceCollection();
services.AddLogging(logging => logging
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddFilter(level => level >= LogLevel.Error)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
IEmpathyKitBuilder empathyKit = services.AddEmpathyKit(configuration.GetSection("EmpathyKit"))
    .UseDevelopmentKey()
    .UseSqliteTranscripts(databasePath);
if (model is null)
{
    empathyKit.UseOfflineResponder();
}
else
{
    empathyKit.UseOpenAI(o =>
    {
        o.Model = model;
        o.Endpoint = endpoint;
        o.ApiKeyEnvironmentVariable = apiKeyVariable;
    });
}

await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

ISupportChat chat;
try
{
    chat = provider.GetRequiredService<ISupportChat>();
    _ = provider.GetRequiredKeyedService<ITranscriptKeyProvider>(EmpathyKitServiceCollectionExtensions.DefaultName);
}
catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
{
    Console.Error.WriteLine($"EmpathyKit could not start: {ex.Message}");
    return 2;
}

var escalations = provider.GetRequiredKeyedService<LoggingEscalationHandler>(EmpathyKitServiceCollectionExtensions.DefaultName);
escalations.Escalated += (_, e) =>
    Console.Error.WriteLine($"  [escalation {e.EscalationId}: risk {e.Assessment.Level.ToWireName()}; written to the durable outbox. This sample has no delivery channel: a host adds AddWebhookEscalation(...) or its own handler, and an operator sees it in the queue]");

bool interactive = !Console.IsInputRedirected;
Console.Error.WriteLine(model is null
    ? "EmpathyKit console sample (offline responder, no network)."
    : $"EmpathyKit console sample (model {model}{(endpoint is null ? string.Empty : " at " + endpoint.GetLeftPart(UriPartial.Authority))}; the model sees redacted text only).");
Console.Error.WriteLine($"WARNING: transcripts are encrypted with a DEVELOPMENT key at {EmpathyKitPaths.DevelopmentKeyFile}. It is for development only.");
Console.Error.WriteLine($"Transcripts: {databasePath}");
Console.Error.WriteLine("Type a message and press Enter; /quit ends.");
Console.Error.WriteLine();

// The conversation is its own data subject here (an app would pass its user id as SubjectId): these ids read, export
// and erase it with the CLI ("empathykit transcripts read -s <subject> -c <conversation> --db <database>").
string conversationId = resume ?? "console-" + Guid.NewGuid().ToString("N");
Console.Error.WriteLine($"Conversation: {conversationId} (subject: {conversationId}){(resume is null ? string.Empty : ", resumed")}");
var turnOptions = new SupportTurnOptions { WaitForTranscript = true };
int unsaved = 0;
while (true)
{
    if (interactive)
    {
        Console.Write("you> ");
    }

    string? line = Console.ReadLine();
    if (line is null || line.Trim().Equals("/quit", StringComparison.OrdinalIgnoreCase))
    {
        break;
    }

    if (line.Trim().Length == 0)
    {
        continue;
    }

    SupportReply reply = await chat.SendAsync(conversationId, line, turnOptions);
    if (reply.Report.HistoryUnavailable)
    {
        Console.Error.WriteLine("  WARNING: the earlier part of this conversation could not be read; this reply was written without it.");
    }

    if (reply.Report.UnreadableHistoryRecords > 0)
    {
        Console.Error.WriteLine($"  WARNING: {reply.Report.UnreadableHistoryRecords} earlier message(s) of this conversation are damaged in storage and could not be read; this reply was written without them. New messages are still saved.");
    }

    if (!reply.Report.TranscriptWritten)
    {
        // Said plainly, every time: the person should know their words are not being kept.
        unsaved++;
        Console.Error.WriteLine($"  WARNING: this conversation is not being saved: the transcript store failed (the database {databasePath} may be damaged, read-only or full).");
    }

    Console.WriteLine($"bot> {reply.Text.Replace("\n", "\n     ", StringComparison.Ordinal)}");
    Console.Error.WriteLine($"  [risk: {reply.Risk.Level.ToWireName()}; reply: {reply.Report.ReplySource}; empathy: {(reply.Report.Empathy is { } e ? e.Total + "/6" : "-")}; disclaimers: {reply.Disclaimers.Count}; escalation: {reply.EscalationStatus?.ToString().ToLowerInvariant() ?? "none"}]");
    Console.WriteLine();
}

Console.Error.WriteLine("Take care. Goodbye.");
if (unsaved > 0)
{
    Console.Error.WriteLine($"{unsaved} turn(s) of conversation {conversationId} were not saved.");
    return 3;
}

return 0;
