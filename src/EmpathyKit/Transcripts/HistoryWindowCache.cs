using System.Collections.Concurrent;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The last decrypted records of recently read conversations, so that a turn decrypts only the records written since
/// the conversation was last read, not its whole history window again.
/// </summary>
/// <remarks>
/// <para>
/// A window is tied to the chain: it holds the sequence after its last record and that record's chain hash, and is
/// used only when the conversation's authenticated head still ends at that hash, or when the next record read from
/// the store chains to it. Anything else (another writer's conversation under the same pseudonym, a store restored
/// from backup, a replaced record) fails that check and the window is read again from the store in full.
/// </para>
/// <para>
/// Records below the head's base sequence (purged by retention) are never served; erasure drops the subject's windows
/// and a conversation whose head is gone drops its window. Bounded: at most <c>maxConversations</c> windows of at
/// most <see cref="MaxEntries"/> entries; past the cap a tenth of the windows, least recently used first, are evicted
/// at once. The entries are what the store holds (the redacted text unless the host keeps originals), in memory.
/// </para>
/// </remarks>
internal sealed class HistoryWindowCache
{
    /// <summary>The most entries one window keeps (a read for more is served from the store).</summary>
    public const int MaxEntries = 256;

    private readonly int _maxConversations;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _evictGate = new();
    private int _count;
    private long _clock;

    public HistoryWindowCache(int maxConversations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConversations);
        _maxConversations = maxConversations;
    }

    /// <summary>Gets whether the cache keeps anything.</summary>
    public bool Enabled => _maxConversations > 0;

    /// <summary>Gets how many windows are held (for tests).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>A conversation's cached records: <see cref="Entries"/>[i] is the record at sequence <see cref="First"/> + i.</summary>
    internal sealed class Window(string tenant, string subject, long next, ReadOnlyMemory<byte> lastHash, TranscriptEntry[] entries)
    {
        public string Tenant { get; } = tenant;

        public string Subject { get; } = subject;

        public long First => Next - Entries.Length;

        public long Next { get; } = next;

        public ReadOnlyMemory<byte> LastHash { get; } = lastHash;

        public TranscriptEntry[] Entries { get; } = entries;

        public long LastUsed { get; set; }
    }

    public bool TryGet(string conversation, out Window window)
    {
        if (_maxConversations > 0 && _windows.TryGetValue(conversation, out Window? found))
        {
            found.LastUsed = Interlocked.Increment(ref _clock);
            window = found;
            return true;
        }

        window = null!;
        return false;
    }

    /// <summary>Keeps the last <see cref="MaxEntries"/> (at most) of <paramref name="entries"/>, which end at the record before <paramref name="next"/>.</summary>
    public void Put(string conversation, string tenant, string subject, long next, ReadOnlyMemory<byte> lastHash, IReadOnlyList<TranscriptEntry> entries, int keep)
    {
        if (_maxConversations == 0)
        {
            return;
        }

        int count = Math.Min(Math.Min(entries.Count, Math.Max(keep, 0)), MaxEntries);
        var kept = new TranscriptEntry[count];
        for (int i = 0; i < count; i++)
        {
            kept[i] = entries[entries.Count - count + i];
        }

        var window = new Window(tenant, subject, next, lastHash.ToArray(), kept) { LastUsed = Interlocked.Increment(ref _clock) };
        bool added = false;
        _windows.AddOrUpdate(conversation, _ => { added = true; return window; }, (_, _) => { added = false; return window; });
        if (added && Interlocked.Increment(ref _count) > _maxConversations)
        {
            Evict();
        }
    }

    public void Remove(string conversation)
    {
        if (_windows.TryRemove(conversation, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Drops every window of one subject (erasure).</summary>
    public void RemoveSubject(string tenant, string subject)
    {
        foreach (KeyValuePair<string, Window> pair in _windows)
        {
            if (string.Equals(pair.Value.Tenant, tenant, StringComparison.Ordinal) && string.Equals(pair.Value.Subject, subject, StringComparison.Ordinal))
            {
                Remove(pair.Key);
            }
        }
    }

    private void Evict()
    {
        lock (_evictGate)
        {
            if (Volatile.Read(ref _count) <= _maxConversations)
            {
                return;
            }

            int drop = Math.Max(1, _maxConversations / 10);
            foreach (KeyValuePair<string, Window> pair in _windows.OrderBy(p => p.Value.LastUsed).Take(drop).ToList())
            {
                Remove(pair.Key);
            }
        }
    }
}
