using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit;

/// <summary>
/// The encrypted transcript of conversations as the pipeline and hosts use it. Entries are encrypted before they reach
/// an <see cref="ITranscriptStore"/>, so no storage provider ever sees plaintext or raw ids.
/// </summary>
public interface ITranscriptLog
{
    /// <summary>
    /// Queues entries to be appended to a conversation, in order and atomically; returns once they are accepted, which
    /// is quick unless the write queue is full (see <c>TranscriptOptions.QueueFullMode</c>).
    /// </summary>
    /// <param name="address">Tenant, subject and conversation.</param>
    /// <param name="entries">The entries to append.</param>
    /// <param name="cancellationToken">Cancels waiting for queue space; an accepted append is never cancelled.</param>
    /// <returns>A receipt whose <see cref="TranscriptWriteReceipt.Durable"/> completes when the entries are durable.</returns>
    /// <exception cref="TranscriptQueueFullException">The queue is full and the policy is to reject.</exception>
    ValueTask<TranscriptWriteReceipt> AppendAsync(TranscriptAddress address, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads the most recent entries of a conversation, oldest first, after any queued writes to it are durable.</summary>
    /// <param name="address">Tenant, subject and conversation.</param>
    /// <param name="maxEntries">How many of the latest entries to return at most.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, oldest first; empty for an unknown conversation.</returns>
    /// <exception cref="TranscriptAccessException">The conversation belongs to another subject.</exception>
    ValueTask<IReadOnlyList<TranscriptEntry>> ReadAsync(TranscriptAddress address, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the most recent entries of a conversation like <see cref="ReadAsync"/>, but reads around records that
    /// cannot be read (a damaged record, a missing one, a broken link) instead of failing: each record is sealed on its
    /// own, so the others are still authentic. The number read around is returned, for the host to report.
    /// </summary>
    /// <param name="address">Tenant, subject and conversation.</param>
    /// <param name="maxEntries">How many of the latest records to read at most (read-around records count).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The readable entries, oldest first, and how many records were read around.</returns>
    /// <exception cref="TranscriptAccessException">The conversation belongs to another subject.</exception>
    /// <exception cref="TranscriptIntegrityException">The conversation's head does not verify.</exception>
    /// <remarks>The default reads with <see cref="ReadAsync"/> and reports no records read around.</remarks>
    async ValueTask<TranscriptHistory> ReadHistoryAsync(TranscriptAddress address, int maxEntries, CancellationToken cancellationToken = default) =>
        new(await ReadAsync(address, maxEntries, cancellationToken).ConfigureAwait(false), 0);

    /// <summary>Waits until every append accepted so far is durable (or has failed for good).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the queue has drained.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>A conversation's latest entries as read for a turn.</summary>
/// <param name="Entries">The readable entries, oldest first.</param>
/// <param name="UnreadableRecords">How many records in the window could not be read and were read around (0 normally).</param>
public sealed record TranscriptHistory(IReadOnlyList<TranscriptEntry> Entries, int UnreadableRecords);

/// <summary>The outcome of queuing a transcript append.</summary>
/// <param name="Durable">
/// Completes when the entries are durable in the store; faults with the store's error if they could not be written
/// (after retries) or with <see cref="TranscriptAccessException"/> if the subject was erased first (erasure wins).
/// </param>
public sealed record TranscriptWriteReceipt(Task Durable);

/// <summary>The transcript write queue was full and its policy is to reject rather than wait.</summary>
public sealed class TranscriptQueueFullException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptQueueFullException"/> class.</summary>
    public TranscriptQueueFullException()
        : base("The transcript write queue is full.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptQueueFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TranscriptQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptQueueFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A transcript operation was refused: the conversation belongs to another subject, the subject was erased while the
/// write was in flight, or the access policy denied it.
/// </summary>
public sealed class TranscriptAccessException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptAccessException"/> class.</summary>
    public TranscriptAccessException()
        : base("The transcript operation was refused.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptAccessException"/> class.</summary>
    /// <param name="message">The message (never names a raw id).</param>
    public TranscriptAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptAccessException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
