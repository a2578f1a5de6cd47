using System.CommandLine;
using EmpathyKit.Cli.Transcripts;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;

namespace EmpathyKit.Cli.Feedback;

/// <summary><c>empathykit feedback export</c>: operators' feedback on bot replies, redacted, as JSON lines for review.</summary>
internal static class FeedbackCommands
{
    public static Command Create()
    {
        var connection = new VaultConnection();
        var command = new Command("feedback", "Export operators' feedback on bot replies for review and evaluation.");
        connection.AddTo(command);
        var output = new Option<FileInfo>("--output", "-o") { Description = "The JSON-lines file to write (created owner-only; never overwritten).", Required = true };
        var export = new Command(
            "export",
            "Write every feedback entry with the rated reply and the user's message it answered, all text redacted again, conversations named by pseudonym (each read and the export are audited).") { output };
        export.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, "feedback export", async (session, console, ct) =>
        {
            FileInfo file = parseResult.GetValue(output)!;
            if (file.Exists)
            {
                throw new CliUsageException($"'{file.FullName}' already exists; it is not overwritten.");
            }

            if ((session.Store as IEscalationStoreSource)?.GetEscalationStore() is not IConversationControlStore controls)
            {
                throw new InvalidOperationException("This transcript store keeps no conversation control states, so it holds no feedback.");
            }

            var engines = new Engines();
            using var buffer = new MemoryStream();
            (int conversations, int entries) = await FeedbackExport.WriteAsync(controls, session.Vault, engines.Redactor, buffer, session.Actor, ct);
            await VaultConnection.WritePrivateFileAsync(file, buffer.ToArray(), ct);
            await console.WriteLineAsync($"Wrote {entries:N0} feedback entries from {conversations:N0} conversations to {file.FullName} (redacted; keep it safe).");
            return VaultConnection.Ok;
        }, cancellationToken));
        command.Subcommands.Add(export);
        return command;
    }
}
