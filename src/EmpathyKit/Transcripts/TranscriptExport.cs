using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EmpathyKit.Transcripts.Storage;
using SubjectKey = EmpathyKit.Transcripts.TranscriptVault.SubjectKey;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The subject export (format <c>empathykit-subject-export/1</c>): every conversation of a subject, decrypted and
/// checked, and the subject's erasures, as JSON, optionally in a CMS envelope for a recipient certificate. Audited.
/// </summary>
internal sealed class TranscriptExport
{
    private readonly TranscriptVaultContext _context;
    private readonly TranscriptWriteQueue _queue;
    private readonly TranscriptReader _reader;

    public TranscriptExport(TranscriptVaultContext context, TranscriptWriteQueue queue, TranscriptReader reader)
    {
        _context = context;
        _queue = queue;
        _reader = reader;
    }

    /// <inheritdoc cref="ITranscriptManager.ExportSubjectAsync"/>
    public async ValueTask<byte[]> ExportSubjectAsync(string tenant, string subject, X509Certificate2? recipient = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        (string t, string s) = await _context.SubjectPseudonymsAsync(tenant, subject, cancellationToken).ConfigureAwait(false);
        await _queue.FlushAsync(cancellationToken).ConfigureAwait(false);
        TranscriptPseudonyms ids = await _context.Ring.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        (IReadOnlyList<ConversationHead> heads, SubjectKey? key) = await _reader.HeadsAsync(t, s, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Tombstone> tombstones = await _context.Store.GetTombstonesAsync(t, s, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        long records = 0;
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", "empathykit-subject-export/1");
            json.WriteString("tenant", tenant);
            json.WriteString("subject", subject);
            json.WriteString("exportedAt", TranscriptVaultContext.Iso(_context.Time.GetUtcNow()));
            json.WriteStartArray("conversations");
            foreach (ConversationHead head in heads)
            {
                TranscriptVaultContext.CheckCheckpoint(ids, head);
                IReadOnlyList<TranscriptEntry> entries = await _reader.ReadRangeAsync(head, key!, head.BaseSequence, cancellationToken).ConfigureAwait(false);
                records += entries.Count;
                json.WriteStartObject();
                json.WriteString("conversationId", TranscriptReader.OpenLabel(key!, head));
                json.WriteString("createdAt", TranscriptVaultContext.Iso(head.CreatedAt));
                json.WriteString("updatedAt", TranscriptVaultContext.Iso(head.UpdatedAt));
                json.WriteStartArray("entries");
                foreach (TranscriptEntry entry in entries)
                {
                    json.WriteStartObject();
                    json.WriteString("role", TranscriptPayloadCodec.RoleName(entry.Role));
                    if (entry.AuthorId is { } author)
                    {
                        json.WriteString("author", author);
                    }

                    if (entry.Feedback is { } feedback)
                    {
                        json.WriteString("replyAt", TranscriptVaultContext.Iso(feedback.ReplyAt));
                        json.WriteString("verdict", TranscriptPayloadCodec.VerdictName(feedback.Verdict));
                        if (feedback.EmpathyRating is { } rating)
                        {
                            json.WriteNumber("empathyRating", rating);
                        }
                    }

                    json.WriteString("text", entry.Text);
                    json.WriteString("createdAt", TranscriptVaultContext.Iso(entry.CreatedAt));
                    json.WriteString("risk", entry.Risk.ToWireName());
                    json.WriteStartArray("categories");
                    foreach (CrisisCategory category in entry.Categories)
                    {
                        json.WriteStringValue(category.ToWireName());
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("erasures");
            foreach (Tombstone tombstone in tombstones)
            {
                json.WriteStartObject();
                json.WriteString("erasureId", tombstone.ErasureId.ToString("D"));
                json.WriteString("erasedAt", TranscriptVaultContext.Iso(tombstone.ErasedAt));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] plain = buffer.ToArray();
        byte[] result = recipient is null ? plain : TranscriptCms.Encrypt(plain, recipient);
        if (recipient is not null)
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        await _context.AuditAsync(AuditKinds.Export, actor, t, s, null, AuditDetail.Of(("conversations", heads.Count), ("records", records), ("encrypted", recipient is not null)), cancellationToken).ConfigureAwait(false);
        return result;
    }
}
