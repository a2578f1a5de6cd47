using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>What the transcript log does when its write queue is full.</summary>
public enum TranscriptQueueFullMode
{
    /// <summary>The turn waits for space, up to <see cref="TranscriptOptions.QueueWaitTimeout"/>, then the append is refused (reported, logged and counted).</summary>
    Wait,

    /// <summary>The append is refused at once (reported on the turn, logged and counted); the turn never waits.</summary>
    Reject,
}

/// <summary>Encrypted transcript settings (<c>EmpathyKit:Transcripts</c>). Every limit here is enforced and documented in docs/limits.md.</summary>
public sealed class TranscriptOptions
{
    /// <summary>Gets or sets how long records are kept; the expiry is bound into each record and <c>PurgeExpiredAsync</c> removes them after it. 1 day to 3,650 days; default 365 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Gets or sets how long a master key wraps new subject keys before the next one takes over. 1 to 3,650 days; default 90 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan MasterKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how long before the active key expires its successor is created (it activates when the active key expires). Under the lifetime; default 2 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MasterKeyRollAhead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Gets or sets whether master keys roll automatically when they near expiry (default on).</summary>
    public bool AutoRollMasterKeys { get; set; } = true;

    /// <summary>Gets or sets how often a process re-reads the key ring to see keys other hosts created. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan KeyRingRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many appends may wait in the write queue. 1 to 1,000,000; default 4,096.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 4_096;

    /// <summary>Gets or sets what happens when the queue is full (default <see cref="TranscriptQueueFullMode.Wait"/>).</summary>
    public TranscriptQueueFullMode QueueFullMode { get; set; } = TranscriptQueueFullMode.Wait;

    /// <summary>Gets or sets how long a turn waits for queue space in <see cref="TranscriptQueueFullMode.Wait"/> mode. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QueueWaitTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many appends one store transaction may carry (group commit). 1 to 1,024; default 128.</summary>
    [Range(1, 1_024)]
    public int MaxBatchSize { get; set; } = 128;

    /// <summary>Gets or sets how many times a failed write is retried (with exponential backoff from 50 ms, capped at 5 s) before its receipt faults. 0 to 100; default 8.</summary>
    [Range(0, 100)]
    public int WriteRetries { get; set; } = 8;

    /// <summary>Gets or sets how long disposing the log waits for queued writes. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many unwrapped subject data keys are cached in memory. 0 to 1,000,000; default 10,000.</summary>
    [Range(0, 1_000_000)]
    public int SubjectKeyCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets how many conversations keep their last decrypted records in memory, so that a turn decrypts only
    /// the records written since the conversation was last read (each window is tied to the chain and re-read in full
    /// when it no longer matches; purged and erased records are never served). 0 turns it off; 0 to 1,000,000;
    /// default 1,024, each window at most 256 records.
    /// </summary>
    [Range(0, 1_000_000)]
    public int HistoryCacheConversations { get; set; } = 1_024;
}
