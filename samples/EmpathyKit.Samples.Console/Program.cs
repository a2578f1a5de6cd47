// The EmpathyKit console sample: an offline support bot in the terminal. No keys, no network.
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

string databasePath = Path.Combine(EmpathyKitPaths.DataDirectory, "console-sample.db");
var services = new ServiceCollection();
services.AddLogging(logging => logging
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddFilter(level => level >= LogLevel.Error)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
services.AddEmpathyKit(configuration.GetSection("EmpathyKit"))
    .UseOfflineResponder()
    .UseDevelopmentKey()
    .UseSqliteTranscripts(databasePath);

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
    Console.Error.WriteLine($"  [escalation {e.EscalationId}: risk {e.Assessment.Level.ToWireName()}; a human on your team would be alerted here]");

bool interactive = !Console.IsInputRedirected;
Console.Error.WriteLine("EmpathyKit console sample (offline responder, no network).");
Console.Error.WriteLine($"WARNING: transcripts are encrypted with a DEVELOPMENT key at {EmpathyKitPaths.DevelopmentKeyFile}. It is for development only.");
Console.Error.WriteLine($"Transcripts: {databasePath}");
Console.Error.WriteLine("Type a message and press Enter; /quit ends.");
Console.Error.WriteLine();

string conversationId = "console-" + Guid.NewGuid().ToString("N");
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

    SupportReply reply = await chat.SendAsync(conversationId, line);
    Console.WriteLine($"bot> {reply.Text.Replace("\n", "\n     ", StringComparison.Ordinal)}");
    Console.Error.WriteLine($"  [risk: {reply.Risk.Level.ToWireName()}; reply: {reply.Report.ReplySource}; disclaimers: {reply.Disclaimers.Count}; human alerted: {(reply.HumanAlerted ? "yes" : "no")}]");
    Console.WriteLine();
}

Console.Error.WriteLine("Take care. Goodbye.");
return 0;
