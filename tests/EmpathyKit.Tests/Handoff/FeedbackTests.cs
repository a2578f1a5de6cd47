using System.CommandLine;
using System.Text.Json;
using EmpathyKit.Cli;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Handoff;

/// <summary>
/// Operators' feedback on bot replies: stored encrypted in the conversation (never shown to the model), checked,
/// audited without its note, exported and erased with the subject, and exported redacted for review by the CLI.
/// </summary>
public sealed class FeedbackTests
{
    private static readonly OperatorIdentity Alex = new("op-alex", "Alex");
    private static readonly OperatorIdentity Sam = new("op-sam", "Sam");

    [Fact]
    public async Task Feedback_is_kept_in_the_conversation_audited_without_its_note_and_never_reaches_the_model()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("f-1", "my manager shouted at me again today");
        await host.Chat.SendAsync("f-1", "can I talk to a real person");
        await console.TakeOverAsync(Alex, "f-1");
        TranscriptEntry reply = (await console.ReadConversationAsync(Alex, "f-1")).First(e => e.Role == TranscriptRole.Assistant);

        TranscriptEntry stored = await console.AddFeedbackAsync(Alex, "f-1", new ReplyFeedback(reply.CreatedAt, FeedbackVerdict.Harmful) { EmpathyRating = 2, Note = "Too quick to move on; write to me at alex.reviewer@example.org" });
        Assert.Equal((TranscriptRole.Feedback, "op-alex", true), (stored.Role, stored.AuthorId, stored.IsRedacted));
        Assert.DoesNotContain("alex.reviewer@example.org", stored.Text, StringComparison.Ordinal);
        TranscriptEntry read = (await console.ReadConversationAsync(Alex, "f-1"))[^1];
        Assert.Equal((FeedbackVerdict.Harmful, 2, reply.CreatedAt), (read.Feedback!.Verdict, read.Feedback.EmpathyRating, read.Feedback.ReplyAt));
        Assert.Equal(read.Text, read.Feedback.Note);

        // Not part of the conversation the model sees after hand-back.
        await console.HandBackAsync(Alex, "f-1");
        await host.Chat.SendAsync("f-1", "thanks, that helped");
        Assert.DoesNotContain(host.Provider.Requests[^1], m => m.Text.Contains("Too quick", StringComparison.Ordinal));

        AuditEntry audited = (await host.Services.GetRequiredService<ITranscriptManager>().ReadAuditLogAsync(0, 1_000)).Single(e => e.Kind == AuditKinds.OperatorFeedback);
        Assert.Equal("op-alex", audited.Actor);
        Assert.Contains("\"verdict\":\"harmful\"", audited.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("quick", audited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_is_refused_clearly_when_it_cannot_be_right()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("f-2", "I feel flat all the time");
        await host.Chat.SendAsync("f-2", "human please");
        await console.TakeOverAsync(Alex, "f-2");
        IReadOnlyList<TranscriptEntry> entries = await console.ReadConversationAsync(Alex, "f-2");
        DateTimeOffset replyAt = entries.First(e => e.Role == TranscriptRole.Assistant).CreatedAt;
        DateTimeOffset userAt = entries.First(e => e.Role == TranscriptRole.User).CreatedAt;

        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.AddFeedbackAsync(Sam, "f-2", new ReplyFeedback(replyAt, FeedbackVerdict.Helpful)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.AddFeedbackAsync(Alex, "f-2", new ReplyFeedback(userAt, FeedbackVerdict.Helpful)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.AddFeedbackAsync(Alex, "f-2", new ReplyFeedback(replyAt, FeedbackVerdict.Helpful) { EmpathyRating = 6 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.AddFeedbackAsync(Alex, "f-2", new ReplyFeedback(replyAt, FeedbackVerdict.Helpful) { EmpathyRating = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.AddFeedbackAsync(Alex, "f-2", new ReplyFeedback(replyAt, (FeedbackVerdict)42)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.AddFeedbackAsync(Alex, "f-2", new ReplyFeedback(replyAt, FeedbackVerdict.Helpful) { Note = new string('n', ReplyFeedback.MaxNoteLength + 1) }));
        Assert.DoesNotContain(await console.ReadConversationAsync(Alex, "f-2"), e => e.Role == TranscriptRole.Feedback);
    }

    [Fact]
    public async Task Feedback_is_exported_and_erased_with_the_subject()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        var turn = new SupportTurnOptions { SubjectId = "user-7" };
        await host.Chat.SendAsync("f-3", "I keep crying at night", turn);
        await host.Chat.SendAsync("f-3", "can I speak to someone from your team", turn);
        await console.TakeOverAsync(Alex, "f-3");
        DateTimeOffset replyAt = (await console.ReadConversationAsync(Alex, "f-3")).First(e => e.Role == TranscriptRole.Assistant).CreatedAt;
        await console.AddFeedbackAsync(Alex, "f-3", new ReplyFeedback(replyAt, FeedbackVerdict.Helpful) { EmpathyRating = 5, Note = "warm" });

        using JsonDocument export = JsonDocument.Parse(await manager.ExportSubjectAsync(TranscriptAddress.DefaultTenant, "user-7"));
        JsonElement feedback = export.RootElement.GetProperty("conversations")[0].GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("role").GetString() == "feedback");
        Assert.Equal(("helpful", 5, "warm", "op-alex"), (feedback.GetProperty("verdict").GetString(), feedback.GetProperty("empathyRating").GetInt32(), feedback.GetProperty("text").GetString(), feedback.GetProperty("author").GetString()));

        await manager.EraseSubjectAsync(TranscriptAddress.DefaultTenant, "user-7");
        var controls = (IConversationControlStore)((IEscalationStoreSource)host.Store).GetEscalationStore();
        using var output = new MemoryStream();
        (int conversations, int entries) = await FeedbackExport.WriteAsync(controls, host.Services.GetRequiredKeyedService<TranscriptVault>(EmpathyKitServiceCollectionExtensions.DefaultName), new Engines().Redactor, output, "test", default);
        Assert.Equal((0, 0), (conversations, entries)); // the control state went with the subject too
    }

    [Fact]
    public async Task The_cli_exports_feedback_redacted_with_the_reply_and_the_message_it_answered()
    {
        string dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "feedback-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string db = Path.Combine(dir, "t.db");
        string key = Path.Combine(dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();

            // Originals kept, so the export's own redaction is what removes the user's details.
            services.AddEmpathyKit(o =>
                {
                    o.Country = "GB";
                    o.StoreOriginalText = true;
                })
                .UseChatClient(new FakeChatClient("That sounds really hard. What happened next?"))
                .UseSqliteTranscripts(db)
                .UseKeyFile(key);
            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                ISupportChat chat = provider.GetRequiredService<ISupportChat>();
                IOperatorConsole console = provider.GetRequiredService<IOperatorConsole>();
                await chat.SendAsync("f-4", "my ex keeps texting me on 07700 900123 and I'm scared");
                await chat.SendAsync("f-4", "I'd like to talk to a real person");
                await console.TakeOverAsync(Alex, "f-4");
                DateTimeOffset replyAt = (await console.ReadConversationAsync(Alex, "f-4")).First(e => e.Role == TranscriptRole.Assistant).CreatedAt;
                await console.AddFeedbackAsync(Alex, "f-4", new ReplyFeedback(replyAt, FeedbackVerdict.Harmful) { EmpathyRating = 1, Note = "Missed the fear; she gave 07700 900123" });
                await provider.GetRequiredKeyedService<ITranscriptLog>(EmpathyKitServiceCollectionExtensions.DefaultName).FlushAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            string file = Path.Combine(dir, "feedback.jsonl");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = await CliApp.CreateRoot().Parse(["feedback", "export", "--db", db, "--key-file", key, "--output", file, "--actor", "reviewer-1"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
            Assert.True(code == 0, stderr.ToString());
            Assert.Contains("Wrote 1 feedback entries from 1 conversations", stdout.ToString(), StringComparison.Ordinal);
            string line = Assert.Single(await File.ReadAllLinesAsync(file));
            Assert.DoesNotContain("07700", line, StringComparison.Ordinal);
            Assert.DoesNotContain("f-4", line, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            Assert.Equal((FeedbackExport.Format, "harmful", 1, "op-alex"), (root.GetProperty("format").GetString(), root.GetProperty("verdict").GetString(), root.GetProperty("empathy_rating").GetInt32(), root.GetProperty("operator").GetString()));
            Assert.StartsWith("That sounds really hard. What happened next?", root.GetProperty("reply").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("my ex keeps texting me on [", root.GetProperty("user_message").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("c_", root.GetProperty("conversation").GetString(), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            int again = await CliApp.CreateRoot().Parse(["feedback", "export", "--db", db, "--key-file", key, "--output", file]).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
            Assert.Equal(2, again);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
