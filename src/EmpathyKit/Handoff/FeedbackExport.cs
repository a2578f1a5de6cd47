using System.Text.Json;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts;

namespace EmpathyKit.Handoff;

/// <summary>
/// Exports operators' feedback for review and evaluation (<c>empathykit feedback export</c>): one JSON line per
/// feedback entry with the rated reply and the user's message it answered, every text redacted again, conversations
/// named by their keyed pseudonym only. Feedback is only ever given on conversations an operator was assigned, so the
/// control store lists every conversation that can hold any.
/// </summary>
internal static class FeedbackExport
{
    /// <summary>The format's name, in each line's <c>format</c> field.</summary>
    public const string Format = "empathykit-feedback/1";

    private const int Page = 500;

    /// <summary>Writes the export; each conversation read is audited, and the export itself with its counts.</summary>
    /// <param name="controls">The control store.</param>
    /// <param name="vault">The transcripts.</param>
    /// <param name="redactor">Redacts every text again (an original the host kept, a note).</param>
    /// <param name="output">Where the JSON lines go.</param>
    /// <param name="actor">Who exports (the audit log's actor).</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many conversations were read and feedback entries written.</returns>
    public static async Task<(int Conversations, int Entries)> WriteAsync(IConversationControlStore controls, TranscriptVault vault, IPiiRedactor redactor, Stream output, string actor, CancellationToken cancellationToken)
    {
        int conversations = 0;
        int written = 0;
        string? after = null;
        while (true)
        {
            IReadOnlyList<ConversationControlState> page = await controls.ListControlAsync(after, Page, cancellationToken).ConfigureAwait(false);
            foreach (ConversationControlState state in page)
            {
                (string pseudonym, IReadOnlyList<TranscriptEntry> entries) = await vault.ReadForOperatorAsync(state.Tenant, state.ConversationId, actor, audit: true, cancellationToken).ConfigureAwait(false);
                conversations++;
                for (int i = 0; i < entries.Count; i++)
                {
                    if (entries[i] is not { Role: TranscriptRole.Feedback, Feedback: { } feedback } entry)
                    {
                        continue;
                    }

                    int reply = FindReply(entries, feedback.ReplyAt);
                    int user = reply < 0 ? -1 : FindUserBefore(entries, reply);
                    await WriteLineAsync(output, pseudonym, entry, feedback, reply < 0 ? null : entries[reply], user < 0 ? null : entries[user], redactor, cancellationToken).ConfigureAwait(false);
                    written++;
                }
            }

            if (page.Count < Page)
            {
                break;
            }

            after = page[^1].ConversationId;
        }

        await vault.AuditAsync(AuditKinds.FeedbackExport, actor, AuditDetail.Of(("conversations", conversations), ("entries", written)), cancellationToken).ConfigureAwait(false);
        return (conversations, written);
    }

    private static int FindReply(IReadOnlyList<TranscriptEntry> entries, DateTimeOffset at)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Role == TranscriptRole.Assistant && entries[i].CreatedAt.UtcTicks == at.UtcTicks)
            {
                return i;
            }
        }

        return -1;
    }

    private static int FindUserBefore(IReadOnlyList<TranscriptEntry> entries, int reply)
    {
        for (int i = reply - 1; i >= 0; i--)
        {
            if (entries[i].Role == TranscriptRole.User)
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task WriteLineAsync(Stream output, string conversation, TranscriptEntry entry, ReplyFeedback feedback, TranscriptEntry? reply, TranscriptEntry? user, IPiiRedactor redactor, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var json = new Utf8JsonWriter(buffer);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("conversation", conversation);
            json.WriteString("at", TranscriptVaultContext.Iso(entry.CreatedAt));
            json.WriteString("operator", entry.AuthorId);
            json.WriteString("verdict", TranscriptPayloadCodec.VerdictName(feedback.Verdict));
            if (feedback.EmpathyRating is { } rating)
            {
                json.WriteNumber("empathy_rating", rating);
            }
            else
            {
                json.WriteNull("empathy_rating");
            }

            json.WriteString("note", entry.Text.Length == 0 ? null : await RedactAsync(redactor, conversation, entry.Text, cancellationToken).ConfigureAwait(false));
            json.WriteString("reply_at", TranscriptVaultContext.Iso(feedback.ReplyAt));

            // A rated reply purged by retention since is exported as missing, not invented.
            json.WriteString("reply", reply is null ? null : await RedactAsync(redactor, conversation, reply.Text, cancellationToken).ConfigureAwait(false));
            json.WriteString("user_message", user is null ? null : await RedactAsync(redactor, conversation, user.Text, cancellationToken).ConfigureAwait(false));
            json.WriteString("risk", (user ?? reply)?.Risk.ToWireName());
            json.WriteStartArray("categories");
            foreach (CrisisCategory category in (user ?? reply)?.Categories ?? [])
            {
                json.WriteStringValue(category.ToWireName());
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> RedactAsync(IPiiRedactor redactor, string conversation, string text, CancellationToken cancellationToken) =>
        (await redactor.RedactAsync(conversation, text, cancellationToken).ConfigureAwait(false)).RedactedText;
}
