using System.Text;
using System.Text.Json;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The transcript log: encrypts every entry (a fresh AES-256-GCM key per record, wrapped by the key provider) and
/// stores it under a keyed pseudonym of the conversation id, so storage never sees plaintext or raw ids.
/// </summary>
internal sealed class EncryptedTranscriptLog : ITranscriptLog
{
    private readonly ITranscriptStore _store;
    private readonly ITranscriptKeyProvider _keys;
    private readonly TimeProvider _time;

    public EncryptedTranscriptLog(ITranscriptStore store, ITranscriptKeyProvider keys, TimeProvider time)
    {
        _store = store;
        _keys = keys;
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(string conversationId, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        string key = await ConversationKeyAsync(conversationId, cancellationToken).ConfigureAwait(false);
        var records = new List<SealedRecord>(entries.Count);
        foreach (TranscriptEntry entry in entries)
        {
            var payload = new TranscriptPayload
            {
                Role = entry.Role == TranscriptRole.User ? "user" : "assistant",
                Text = entry.Text,
                Risk = entry.Risk.ToWireName(),
                Categories = [.. entry.Categories.Select(c => c.ToWireName())],
            };
            byte[] plaintext = JsonSerializer.SerializeToUtf8Bytes(payload, TranscriptJsonContext.Default.TranscriptPayload);
            var id = Guid.CreateVersion7(entry.CreatedAt);
            DateTimeOffset created = new(entry.CreatedAt.UtcTicks, TimeSpan.Zero);
            byte[] sealedBytes = await TranscriptEnvelope.SealAsync(_keys, key, id, created, plaintext, cancellationToken).ConfigureAwait(false);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            records.Add(new SealedRecord(id, created, sealedBytes));
        }

        await _store.AppendAsync(key, records, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadAsync(string conversationId, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        if (maxEntries == 0)
        {
            return [];
        }

        string key = await ConversationKeyAsync(conversationId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SealedRecord> records = await _store.ReadAsync(key, maxEntries, cancellationToken).ConfigureAwait(false);
        var entries = new List<TranscriptEntry>(records.Count);
        foreach (SealedRecord record in records)
        {
            byte[] plaintext = await TranscriptEnvelope.OpenAsync(_keys, key, record, cancellationToken).ConfigureAwait(false);
            TranscriptPayload payload = JsonSerializer.Deserialize(plaintext, TranscriptJsonContext.Default.TranscriptPayload)
                ?? throw new InvalidDataException("A transcript record decrypted to an empty payload.");
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            _ = WireNames.TryParseRiskLevel(payload.Risk, out RiskLevel risk);
            List<CrisisCategory> categories = [];
            foreach (string name in payload.Categories)
            {
                if (WireNames.TryParseCategory(name, out CrisisCategory category))
                {
                    categories.Add(category);
                }
            }

            entries.Add(new TranscriptEntry(
                payload.Role == "user" ? TranscriptRole.User : TranscriptRole.Assistant,
                payload.Text,
                record.CreatedAt,
                risk,
                categories));
        }

        return entries;
    }

    /// <summary>Gets the current time from the log's clock (used by callers that stamp entries).</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    private async ValueTask<string> ConversationKeyAsync(string conversationId, CancellationToken cancellationToken)
    {
        byte[] pseudonym = await _keys.ComputePseudonymAsync(Encoding.UTF8.GetBytes("conversation:" + conversationId), cancellationToken).ConfigureAwait(false);
        return "c1_" + Convert.ToBase64String(pseudonym).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
