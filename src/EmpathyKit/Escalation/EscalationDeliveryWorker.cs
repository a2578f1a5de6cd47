using System.Collections.Concurrent;
using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EmpathyKit;

/// <summary>
/// Delivers a pipeline's escalation outbox: leases due deliveries from the store, calls each channel (a quick-retry
/// phase and a timeout through Polly), and records the outcome: delivered, due again after an exponential backoff with
/// jitter, or dead-lettered after <see cref="EscalationOptions.MaxAttempts"/>. Runs as a hosted service, and starts by
/// itself when the pipeline is built in a host without one. A run cut short (the process stopped or died) leaves its
/// lease to expire, and the delivery runs again: at least once.
/// </summary>
internal sealed class EscalationDeliveryWorker : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly IEscalationStore _store;
    private readonly IReadOnlyList<EscalationChannel> _channels;
    private readonly IReadOnlyList<EscalationChannel> _fallbacks;
    private readonly IReadOnlyList<IEscalationObserver> _observers;
    private readonly EscalationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline[] _runs;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task? _loop;

    public EscalationDeliveryWorker(
        IEscalationStore store,
        IReadOnlyList<EscalationChannel> channels,
        EscalationOptions options,
        TimeProvider time,
        ILogger logger,
        IReadOnlyList<EscalationChannel>? fallbacks = null,
        IReadOnlyList<IEscalationObserver>? observers = null)
    {
        _store = store;
        _channels = channels;
        _fallbacks = fallbacks ?? [];
        _observers = observers ?? [];
        _options = options;
        _time = time;
        _logger = logger;
        _runs = [.. Enumerable.Range(0, options.QuickRetries + 1).Select(BuildRun)];
    }

    /// <summary>Gets the store.</summary>
    public IEscalationStore Store => _store;

    /// <summary>Gets the channels.</summary>
    public IReadOnlyList<EscalationChannel> Channels => _channels;

    /// <summary>Gets whether the loop is running and its last call to the store succeeded (for health checks).</summary>
    public bool IsHealthy => _loop is { IsCompleted: false } && StoreReachable;

    /// <summary>Gets the time of the loop's last successful call to the store.</summary>
    public DateTimeOffset? LastStoreContact { get; private set; }

    private bool StoreReachable { get; set; } = true;

    /// <summary>Starts the loop if it is not running (the host's start, or the pipeline's first build without a host).</summary>
    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_loop is null && !_stop.IsCancellationRequested)
            {
                _loop = Task.Run(() => RunAsync(_stop.Token));
            }
        }
    }

    /// <summary>Wakes the loop: a new escalation is due now.</summary>
    public void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Starts watching an escalation's first outcomes (before it is added, so none is missed).</summary>
    /// <param name="escalationId">The escalation.</param>
    /// <returns>The watch.</returns>
    public Watch StartWatch(string escalationId) => _watches[escalationId] = new Watch(_channels.Count);

    /// <summary>Stops watching.</summary>
    /// <param name="escalationId">The escalation.</param>
    public void EndWatch(string escalationId) => _watches.TryRemove(escalationId, out _);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            _stop.Cancel();
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A synchronous dispose does not wait for a run in progress: its lease expires and it runs again.
        lock (_gate)
        {
            _stop.Cancel();
        }
    }

    private ResiliencePipeline BuildRun(int retries)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                Delay = _options.QuickRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            });
        }

        return builder.AddTimeout(_options.AttemptTimeout).Build();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                IReadOnlyList<DeliveryLease> leases = await _store.LeaseDueAsync(_time.GetUtcNow(), _options.LeaseDuration, _options.BatchSize, stop).ConfigureAwait(false);
                Reached();
                if (leases.Count > 0)
                {
                    await Task.WhenAll(leases.Select(l => DeliverAsync(l, stop))).ConfigureAwait(false);
                    continue;
                }

                if (await ReRaiseAsync(stop).ConfigureAwait(false))
                {
                    continue;
                }

                DateTimeOffset? next = await _store.NextDueAsync(stop).ConfigureAwait(false);
                TimeSpan untilNext = next is { } n ? n - _time.GetUtcNow() : _options.PollInterval;
                wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext > _options.PollInterval ? _options.PollInterval : untilNext;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive a store that is down: it logs, waits and tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                StoreReachable = false;
                Log.EscalationOutboxUnavailable(_logger, ex.GetType().Name);
                wait = _options.PollInterval < TimeSpan.FromSeconds(1) ? _options.PollInterval : TimeSpan.FromSeconds(1);
            }

            await WaitAsync(wait, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Raises again what nobody acknowledged in time, and tells the observers; true when anything was.</summary>
    private async Task<bool> ReRaiseAsync(CancellationToken stop)
    {
        if (_options.AcknowledgeWithin <= TimeSpan.Zero || _options.MaxReRaises == 0)
        {
            return false;
        }

        IReadOnlyList<EscalationChannel> targets = _fallbacks.Count > 0 ? _fallbacks : _channels;
        IReadOnlyList<EscalationEntry> raised = await _store.ReRaiseDueAsync(
            _time.GetUtcNow(), _options.AcknowledgeWithin, _options.MaxReRaises, [.. targets.Select(c => c.Name)], stop).ConfigureAwait(false);
        foreach (EscalationEntry entry in raised)
        {
            Log.EscalationReRaised(_logger, entry.EscalationId, entry.ReRaises, targets.Count);
            EmpathyKitTelemetry.Escalations.Add(1, new KeyValuePair<string, object?>("outcome", "re_raised"));
            foreach (IEscalationObserver observer in _observers)
            {
                try
                {
                    await observer.OnReRaisedAsync(entry, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // One failing observer must not stop the others or the worker.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.EscalationHandlerFailed(_logger, observer.GetType().Name, entry.EscalationId, ex.GetType().Name);
                }
            }
        }

        return raised.Count > 0;
    }

    private void Reached()
    {
        StoreReachable = true;
        LastStoreContact = _time.GetUtcNow();
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stop)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task signalled = _signal.WaitAsync(either.Token);
        Task delayed = Task.Delay(wait, _time, either.Token);
        await Task.WhenAny(signalled, delayed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(signalled, delayed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (signalled.IsCompletedSuccessfully && delayed.IsCompletedSuccessfully)
        {
            Signal(); // both finished: keep the signal for the next wait
        }
    }

    private async Task DeliverAsync(DeliveryLease lease, CancellationToken stop)
    {
        EscalationEntry entry = lease.Escalation;
        // A re-raise's delivery is named channel@n: the channel, and which re-raise it is.
        int at = lease.Channel.LastIndexOf('@');
        int reRaise = 0;
        string name = at > 0 && int.TryParse(lease.Channel.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out reRaise)
            ? lease.Channel[..at]
            : lease.Channel;
        EscalationChannel? channel = _channels.Concat(_fallbacks).FirstOrDefault(c => c.Name == name);
        int attempts = lease.Attempts;
        string? failure = null; // the failure's name for the outbox and the logs: an exception type, never a message
        if (channel is null)
        {
            failure = "channel_missing";
        }
        else
        {
            var escalation = new EscalationEvent(entry.EscalationId, entry.ConversationId, entry.Assessment, entry.OccurredAt) { ReRaise = reRaise };
            ResiliencePipeline run = _runs[Math.Clamp(_options.MaxAttempts - attempts - 1, 0, _runs.Length - 1)];
            try
            {
                await run.ExecuteAsync(
                    async ct =>
                    {
                        Interlocked.Increment(ref attempts);
                        await channel.Handler.EscalateAsync(escalation, ct).ConfigureAwait(false);
                    },
                    stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // stopping: the lease expires and the delivery runs again
            }
#pragma warning disable CA1031 // Any failure of a host's handler is a failed attempt, never a crashed worker.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex.GetType().Name;
            }
        }

        DateTimeOffset now = _time.GetUtcNow();
        EscalationDelivery outcome;
        string result;
        EscalationDelivery current = entry.Deliveries.FirstOrDefault(d => d.Channel == lease.Channel) ?? new EscalationDelivery(lease.Channel, EscalationDeliveryState.Pending, attempts, now, null, null);
        if (failure is null)
        {
            outcome = current with { State = EscalationDeliveryState.Delivered, Attempts = attempts, DeliveredAt = now, NextAttemptAt = now };
            result = "delivered";
        }
        else if (attempts >= _options.MaxAttempts || channel is null)
        {
            outcome = current with { State = EscalationDeliveryState.DeadLettered, Attempts = attempts, LastError = failure, NextAttemptAt = now };
            result = "dead_lettered";
            Log.EscalationDeadLettered(_logger, entry.EscalationId, lease.Channel, attempts, failure);
        }
        else
        {
            outcome = current with { Attempts = attempts, LastError = failure, NextAttemptAt = now + Backoff(attempts) };
            result = "retry";
            Log.EscalationDeliveryFailed(_logger, entry.EscalationId, lease.Channel, attempts, outcome.NextAttemptAt, failure);
        }

        try
        {
            if (!await _store.CompleteAsync(lease, outcome, CancellationToken.None).ConfigureAwait(false))
            {
                result = "lease_lost";
            }

            Reached();
        }
#pragma warning disable CA1031 // The outcome could not be recorded: the lease expires and the delivery runs again (at least once).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StoreReachable = false;
            Log.EscalationOutboxUnavailable(_logger, ex.GetType().Name);
        }

        EmpathyKitTelemetry.EscalationDeliveries.Add(1, new KeyValuePair<string, object?>("channel", lease.Channel), new KeyValuePair<string, object?>("outcome", result));
        if (_watches.TryGetValue(entry.EscalationId, out Watch? watch))
        {
            watch.Report(failure is null);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        // One run is up to QuickRetries + 1 calls; the delay doubles per run, capped, with equal jitter (half fixed, half random).
        int runs = Math.Max(1, (attempts + _options.QuickRetries) / (_options.QuickRetries + 1));
        double ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(runs - 1, 30)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    /// <summary>A turn's wait for its escalation's first outcomes: done at the first delivery, or when every channel has had a run.</summary>
    internal sealed class Watch(int channels)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _delivered;
        private int _failed;

        public int Delivered => Volatile.Read(ref _delivered);

        public int Failed => Volatile.Read(ref _failed);

        public void Report(bool delivered)
        {
            int d = delivered ? Interlocked.Increment(ref _delivered) : Volatile.Read(ref _delivered);
            int f = delivered ? Volatile.Read(ref _failed) : Interlocked.Increment(ref _failed);
            if (d > 0 || d + f >= channels)
            {
                _done.TrySetResult();
            }
        }

        public async Task WaitAsync(TimeSpan timeout, TimeProvider time)
        {
            if (channels == 0 || timeout <= TimeSpan.Zero)
            {
                return;
            }

            await _done.Task.WaitAsync(timeout, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
