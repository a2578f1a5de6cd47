using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Readme;

/// <summary>
/// The README's wiring example is this file's <see cref="ReadmeExample.ReplyAsync"/>, character for character: it
/// compiles here as written, and it runs offline.
/// </summary>
public sealed class ReadmeExampleTests
{
    private const string Begin = "// README: begin";
    private const string End = "// README: end";

    [Fact]
    public void The_readme_shows_this_example_as_it_compiles()
    {
        string root = SharedData.RepositoryRoot;
        string source = File.ReadAllText(Path.Combine(root, "tests", "EmpathyKit.Tests", "Readme", "ReadmeExampleTests.cs")).ReplaceLineEndings("\n");
        int begin = source.IndexOf(Begin + "\n", StringComparison.Ordinal) + Begin.Length + 1;
        int end = source.IndexOf("    " + End, begin, StringComparison.Ordinal);
        string example = string.Join('\n', source[begin..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 4 ? line[4..] : line.TrimStart()));

        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        int section = readme.IndexOf("## Wiring it into your app", StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has no wiring section");
        int block = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        string shown = readme[block..readme.IndexOf("\n```", block, StringComparison.Ordinal)];

        Assert.Equal(example, shown);
    }

    [Fact]
    public async Task The_readme_example_runs_offline()
    {
        string data = Path.Combine(Path.GetTempPath(), "empathykit-tests", "readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            KeyFileTranscriptKeyProvider.CreateKeyFile(Path.Combine(data, "root.key"));
            IConfiguration configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["EmpathyKit:Country"] = "GB" })
                .Build();

            string reply = await ReadmeExample.ReplyAsync(configuration, data, "readme-demo", "Work has been a lot lately and I can't switch off.");
            string crisis = await ReadmeExample.ReplyAsync(configuration, data, "readme-crisis", "I have the pills in front of me and I want to die.");

            Assert.Contains("I'm an AI", reply, StringComparison.Ordinal);
            Assert.Contains("116 123", crisis, StringComparison.Ordinal);
            Assert.True(ReadmeExample.Paged >= 1);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

/// <summary>The host's escalation handler in the README example.</summary>
internal sealed class PageTheOnCallTeam : IEscalationHandler
{
    public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ReadmeExample.Paged);
        return ValueTask.CompletedTask;
    }
}

internal static class ReadmeExample
{
    public static int Paged;

    // README: begin
    public static async Task<string> ReplyAsync(IConfiguration configuration, string dataDirectory, string conversationId, string userMessage)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEmpathyKit(configuration.GetSection("EmpathyKit"))        // options bound, validated at start
            .UseOfflineResponder()                                             // or UseOpenAI(...), UseChatClient(anyIChatClient)
            .UseSqliteTranscripts(Path.Combine(dataDirectory, "transcripts.db"))
            .UseKeyFile(Path.Combine(dataDirectory, "root.key"))               // from `empathykit keys create`, or your KMS
            .AddEscalationHandler(_ => new PageTheOnCallTeam());              // your IEscalationHandler
        await using ServiceProvider provider = services.BuildServiceProvider();

        ISupportChat chat = provider.GetRequiredService<ISupportChat>();
        SupportReply reply = await chat.SendAsync(conversationId, userMessage);
        if (reply.EscalationStatus is { } status)
        {
            // The risk reached the escalation level: the escalation is in the durable outbox (Queued) or a channel
            // already accepted it (Delivered, so reply.HumanAlerted); the worker retries until it is delivered.
        }

        Console.WriteLine($"{reply.Risk.Level}: {string.Join(", ", reply.Risk.Signals)}"); // why, never the text
        return reply.Text;                                                     // disclaimers included
    }
    // README: end
}
