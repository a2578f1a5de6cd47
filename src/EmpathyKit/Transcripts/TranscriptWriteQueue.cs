using System.Collections.Concurrent;
using System.Threading.Channels;
using EmpathyKit.Diagnostics;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Transcripts;

/// <summary>
/// The bounded write queue behind <see cref="ITranscriptLog.AppendAsync"/>: one writer drains it in FIFO order and
/// commits up to <see cref="TranscriptOptions.MaxBatchSize"/> appends per store transaction (group commit), retries
/// failures with exponential backoff, refuses appends an erasure overtook, and flushes on dispose.
/// </summary>
internal sealed class TranscriptWriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteItem> _channel;
    private readonly Func<IReadOnlyList<WriteItem>, CancellationToken, ValueTask> _write;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<WriteItem, byte> _outstanding = new();
    private readonly ConcurrentDictionary<string, Task> _latestByConversation = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    public TranscriptWriteQueue(Func<IReadOnlyList<WriteItem>, CancellationToken, ValueTask> write, TranscriptOptions options, TimeProvider time, ILogger logger)
    {
        _write = write;
        _options = options;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    public int Depth => _channel.Reader.Count;

    public async ValueTask EnqueueAsync(WriteItem item, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _outstanding[item] = 0;
        _latestByConversation[item.Conversation] = item.Done.Task;
        if (_channel.Writer.TryWrite(item))
        {
            return;
        }

        if (_options.QueueFullMode == TranscriptQueueFullMode.Wait && _options.QueueWaitTimeout > TimeSpan.Zero)
        {
            using var timeout = new CancellationTokenSource(_options.QueueWaitTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await _channel.Writer.WriteAsync(item, linked.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Falls through to the refusal below.
            }
            catch (OperationCanceledException)
            {
                Forget(item);
                throw;
            }
        }

        Forget(item);
        EmpathyKitTelemetry.TranscriptWrites.Add(1, new KeyValuePair<string, object?>("outcome", "queue_full"));
        throw new TranscriptQueueFullException($"The transcript write queue is full ({_options.QueueCapacity} appends waiting).");
    }

    /// <summary>Waits until the latest append queued for a conversation has been written or has failed.</summary>
    public async ValueTask WaitForConversationAsync(string conversation, CancellationToken cancellationToken)
    {
        if (_latestByConversation.TryGetValue(conversation, out Task? latest))
        {
            await latest.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Waits until every append queued for a subject (by its pseudonyms) has been written or has failed.</summary>
    public async ValueTask WaitForSubjectAsync(string tenant, string subject, CancellationToken cancellationToken)
    {
        Task[] pending = [.. _outstanding.Keys.Where(i => i.Tenant == tenant && i.Subject == subject).Select(i => i.Done.Task)];
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Task[] pending = [.. _outstanding.Keys.Select(i => i.Done.Task)];
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _channel.Writer.TryComplete();
        await _loop.WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_loop.IsCompleted)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        int lost = 0;
        foreach (WriteItem item in _outstanding.Keys)
        {
            if (item.Done.TrySetException(new TimeoutException("The transcript log was disposed before this append was written.")))
            {
                lost++;
            }
        }

        if (lost > 0)
        {
            Log.TranscriptAppendsUnwritten(_logger, lost);
            EmpathyKitTelemetry.TranscriptWrites.Add(lost, new KeyValuePair<string, object?>("outcome", "unwritten_at_shutdown"));
        }

        _stopping.Dispose();
    }

    private void Forget(WriteItem item)
    {
        _outstanding.TryRemove(item, out _);
        ((ICollection<KeyValuePair<string, Task>>)_latestByConversation).Remove(new(item.Conversation, item.Done.Task));
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteItem>(_options.MaxBatchSize);
        ChannelReader<WriteItem> reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out WriteItem? item))
                {
                    batch.Add(item);
                }

                await WriteWithRetriesAsync(batch, isolateOnRefusal: true).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal timed out; what is left is reported by DisposeAsync.
        }
    }

    private async ValueTask WriteWithRetriesAsync(IReadOnlyList<WriteItem> batch, bool isolateOnRefusal)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(50);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await _write(batch, _stopping.Token).ConfigureAwait(false);
                foreach (WriteItem item in batch)
                {
                    Complete(item, null);
                }

                EmpathyKitTelemetry.TranscriptWrites.Add(batch.Count, new KeyValuePair<string, object?>("outcome", "written"));
                return;
            }
            catch (Exception ex) when (ex is TranscriptAccessException or TranscriptIntegrityException)
            {
                if (isolateOnRefusal && batch.Count > 1)
                {
                    foreach (WriteItem item in batch)
                    {
                        await WriteWithRetriesAsync([item], isolateOnRefusal: false).ConfigureAwait(false);
                    }

                    return;
                }

                // Erasure won the race, or the conversation belongs to someone else or was tampered with: never retried.
                Log.TranscriptAppendRefused(_logger, ex.GetType().Name);
                EmpathyKitTelemetry.TranscriptWrites.Add(batch.Count, new KeyValuePair<string, object?>("outcome", "refused"));
                foreach (WriteItem item in batch)
                {
                    Complete(item, ex);
                }

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Store failures are retried, then reported on the receipts; the writer never dies.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.TranscriptWriteFailed(_logger, ex.GetType().Name);

                // Full, read-only or damaged storage is not retried: trying again only keeps the turn waiting.
                if (attempt >= _options.WriteRetries || ex is TranscriptStorageException { IsTransient: false })
                {
                    EmpathyKitTelemetry.TranscriptWrites.Add(batch.Count, new KeyValuePair<string, object?>("outcome", "failed"));
                    foreach (WriteItem item in batch)
                    {
                        Complete(item, ex);
                    }

                    return;
                }

                EmpathyKitTelemetry.TranscriptWrites.Add(batch.Count, new KeyValuePair<string, object?>("outcome", "retried"));
                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Complete(WriteItem item, Exception? error)
    {
        item.Release();
        if (error is null)
        {
            item.Done.TrySetResult();
        }
        else
        {
            item.Done.TrySetException(error);
        }

        Forget(item);
    }
}

/// <summary>One queued append: the conversation's place, a private copy of the subject key, and the plaintexts.</summary>
internal sealed class WriteItem
{
    public WriteItem(string tenant, string subject, string conversation, string conversationId, Guid subjectKeyId, byte[] subjectKey, IReadOnlyList<(byte[] Plaintext, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)> records)
    {
        Tenant = tenant;
        Subject = subject;
        Conversation = conversation;
        ConversationId = conversationId;
        SubjectKeyId = subjectKeyId;
        SubjectKey = subjectKey;
        Records = records;
    }

    public string Tenant { get; }

    public string Subject { get; }

    public string Conversation { get; }

    public string ConversationId { get; }

    public Guid SubjectKeyId { get; private set; }

    public byte[] SubjectKey { get; private set; }

    public IReadOnlyList<(byte[] Plaintext, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)> Records { get; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Seals under another data key from now on (the subject was erased before this item was written); zeroes the old copy.</summary>
    public void Rekey(Guid subjectKeyId, byte[] subjectKey)
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(SubjectKey);
        SubjectKeyId = subjectKeyId;
        SubjectKey = subjectKey;
    }

    /// <summary>Zeroes the key copy and plaintexts once the item is finished.</summary>
    public void Release()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(SubjectKey);
        foreach ((byte[] plaintext, _, _) in Records)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
