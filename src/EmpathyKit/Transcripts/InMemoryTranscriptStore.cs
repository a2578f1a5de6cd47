using System.Collections.Concurrent;

namespace EmpathyKit;

/// <summary>
/// A transcript store that keeps sealed records in process memory: the reference model for tests and for hosts that
/// must not persist anything. Records are still encrypted; they are lost when the process ends.
/// </summary>
public sealed class InMemoryTranscriptStore : ITranscriptStore
{
    private readonly ConcurrentDictionary<string, List<SealedRecord>> _conversations = new(StringComparer.Ordinal);

    /// <summary>Gets the number of records held, across conversations.</summary>
    public int Count => _conversations.Values.Sum(list => { lock (list) { return list.Count; } });

    /// <inheritdoc />
    public ValueTask AppendAsync(string conversationKey, IReadOnlyList<SealedRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        List<SealedRecord> list = _conversations.GetOrAdd(conversationKey, _ => []);
        lock (list)
        {
            list.AddRange(records.Select(r => r with { Payload = r.Payload.ToArray() }));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SealedRecord>> ReadAsync(string conversationKey, int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecords);
        if (!_conversations.TryGetValue(conversationKey, out List<SealedRecord>? list))
        {
            return ValueTask.FromResult<IReadOnlyList<SealedRecord>>([]);
        }

        lock (list)
        {
            return ValueTask.FromResult<IReadOnlyList<SealedRecord>>([.. list.Skip(Math.Max(0, list.Count - maxRecords))]);
        }
    }
}
