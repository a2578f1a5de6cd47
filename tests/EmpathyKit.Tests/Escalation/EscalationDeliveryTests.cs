using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Pipeline;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EmpathyKit.Tests.Escalation;

/// <summary>
/// The outbox's worker: retries with backoff, dead-lettering, the quick-retry phase, a run cut short by a stop, a
/// store that cannot be written, and the turn's bounded wait for the first delivery.
/// </summary>
public sealed class EscalationDeliveryTests : IDisposable
{
    private static readonly CrisisAssessment Imminent = new(RiskLevel.Imminent, [CrisisCategory.Suicidal], ["means_at_hand"]) { Rung = CrisisRung.Preparation };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ek-deliv-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_failing_channel_is_retried_with_growing_delays_then_dead_lettered()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var store = new InMemoryEscalationStore();
        var failing = new ScriptedHandler(_ => throw new HttpRequestException("down"));
        var options = new EscalationOptions
        {
            QuickRetries = 0,
            MaxAttempts = 4,
            FirstRetryDelay = TimeSpan.FromSeconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(25),
            PollInterval = TimeSpan.FromMinutes(1),
            WaitForDelivery = TimeSpan.Zero,
            AcknowledgeWithin = TimeSpan.Zero, // re-raising is tested on its own
        };
        using var outcomes = new DeliveryOutcomes();
        EscalationRaiser raiser = TestEscalations.Raiser([failing], store, options, clock);
        await using EscalationDeliveryWorker worker = raiser.Worker;

        EscalationRecord record = await raiser.RaiseAsync("c-1", Imminent);
        Assert.Equal(EscalationStatus.Queued, record.Status);
        var delays = new List<TimeSpan>();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            EscalationDelivery d = await Eventually(store, record.EscalationId, x => x.Attempts == attempt);
            Assert.Equal((EscalationDeliveryState.Pending, "HttpRequestException"), (d.State, d.LastError));
            delays.Add(d.NextAttemptAt - clock.GetUtcNow());
            clock.Advance(d.NextAttemptAt - clock.GetUtcNow());
            worker.Signal();
        }

        EscalationDelivery dead = await Eventually(store, record.EscalationId, x => x.State == EscalationDeliveryState.DeadLettered);
        Assert.Equal(4, dead.Attempts);
        Assert.Equal(4, failing.Calls);
        Assert.Equal(EscalationStatus.DeadLettered, (await store.GetAsync(record.EscalationId))!.Status);

        // Equal jitter: each delay is between half and all of 10 s, 20 s, then the 25 s cap.
        Assert.InRange(delays[0], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(12.5), TimeSpan.FromSeconds(25));
        Assert.Contains("dead_lettered", outcomes.Outcomes);

        clock.Advance(TimeSpan.FromHours(1));
        worker.Signal();
        await Task.Delay(200);
        Assert.Equal(4, failing.Calls); // nothing after the dead letter
    }

    [Fact]
    public async Task Quick_retries_deliver_within_one_run_and_the_reply_says_delivered()
    {
        var flaky = new ScriptedHandler(n => n <= 2 ? throw new TimeoutException() : ValueTask.CompletedTask);
        var options = new EscalationOptions { QuickRetries = 2, QuickRetryDelay = TimeSpan.FromMilliseconds(10), WaitForDelivery = TimeSpan.FromSeconds(10) };
        var store = new InMemoryEscalationStore();
        EscalationRaiser raiser = TestEscalations.Raiser([flaky], store, options);
        await using EscalationDeliveryWorker worker = raiser.Worker;

        EscalationRecord record = await raiser.RaiseAsync("c-1", Imminent);
        Assert.Equal(EscalationStatus.Delivered, record.Status);
        Assert.True(record.HumanAlerted);
        EscalationDelivery d = (await store.GetAsync(record.EscalationId))!.Deliveries.Single();
        Assert.Equal((EscalationDeliveryState.Delivered, 3), (d.State, d.Attempts));
        Assert.Equal(record.EscalationId, flaky.Events.Single().EscalationId);
    }

    [Fact]
    public async Task Each_channel_is_delivered_once_with_the_escalations_id()
    {
        var a = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var b = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var store = new InMemoryEscalationStore();
        EscalationRaiser raiser = TestEscalations.Raiser([a, b], store);
        await using EscalationDeliveryWorker worker = raiser.Worker;

        EscalationRecord record = await raiser.RaiseAsync("c-2", Imminent);
        EscalationEntry entry = (await Eventually(store, record.EscalationId, e => e.Deliveries.All(d => d.State == EscalationDeliveryState.Delivered)))!;
        Assert.Equal(["ScriptedHandler", "ScriptedHandler#2"], entry.Deliveries.Select(d => d.Channel));
        Assert.Equal([record.EscalationId], a.Events.Select(e => e.EscalationId));
        Assert.Equal([record.EscalationId], b.Events.Select(e => e.EscalationId));
        Assert.Equal("c-2", a.Events[0].ConversationId);
        Assert.Equal((RiskLevel.Imminent, CrisisRung.Preparation), (a.Events[0].Assessment.Level, a.Events[0].Assessment.Rung));
    }

    [Fact]
    public async Task A_run_cut_short_by_a_stop_runs_again_after_its_lease_on_the_same_file()
    {
        string path = Path.Combine(_directory, "outbox.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var options = new EscalationOptions { WaitForDelivery = TimeSpan.Zero, LeaseDuration = TimeSpan.FromMinutes(5), AcknowledgeWithin = TimeSpan.Zero };
        var hanging = new ScriptedHandler(async (_, ct) => await Task.Delay(Timeout.Infinite, ct));
        EscalationRaiser first = TestEscalations.Raiser([hanging], new SqliteEscalationStore(path), options, clock);
        EscalationRecord record = await first.RaiseAsync("c-3", Imminent);
        await Until(() => hanging.Calls == 1);
        await first.Worker.DisposeAsync(); // the process stops mid-delivery: the lease stays until it runs out

        var recording = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var store = new SqliteEscalationStore(path);
        await using var second = new EscalationDeliveryWorker(store, EscalationChannel.From([recording]), options, clock, NullLogger.Instance);
        second.EnsureStarted();
        await Task.Delay(200);
        Assert.Equal(0, recording.Calls); // still leased by the stopped worker
        clock.Advance(TimeSpan.FromMinutes(5));
        second.Signal();
        await Eventually(store, record.EscalationId, d => d.State == EscalationDeliveryState.Delivered);
        Assert.Equal([record.EscalationId], recording.Events.Select(e => e.EscalationId));
    }

    [Fact]
    public async Task Pending_escalations_from_an_earlier_process_are_delivered_when_the_pipeline_is_built()
    {
        string path = Path.Combine(_directory, "t.db");
        DateTimeOffset at = DateTimeOffset.UtcNow.AddMinutes(-3);
        await new SqliteEscalationStore(path).AddAsync(new EscalationEntry("left-over", "c-4", at, Imminent, [new EscalationDelivery("ScriptedHandler", EscalationDeliveryState.Pending, 2, at, null, "HttpRequestException")]));
        var recording = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var services = new ServiceCollection();
        services.AddEmpathyKit(o => o.TranscriptDatabasePath = path).UseOfflineResponder().UseDevelopmentKey().UseSqliteTranscripts(path).AddEscalationHandler(_ => recording);
        await using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is EscalationDeliveryWorker);
        _ = provider.GetRequiredKeyedService<IChatClient>(EmpathyKitServiceCollectionExtensions.DefaultName);
        await Until(() => recording.Calls == 1);
        Assert.Equal("left-over", recording.Events.Single().EscalationId);
        IEscalationOutbox outbox = provider.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        EscalationDelivery d = (await Eventually(outbox, "left-over", x => x.State == EscalationDeliveryState.Delivered)).Deliveries.Single();
        Assert.Equal(3, d.Attempts);
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_falls_back_to_calling_the_handlers_once()
    {
        var recording = new ScriptedHandler(_ => ValueTask.CompletedTask);
        EscalationRaiser raiser = TestEscalations.Raiser([recording], new BrokenStore());
        await using EscalationDeliveryWorker worker = raiser.Worker;
        EscalationRecord record = await raiser.RaiseAsync("c-5", Imminent);
        Assert.Equal((EscalationStatus.Delivered, 1, 0), (record.Status, record.HandlersSucceeded, record.HandlersFailed));
        Assert.Equal(record.EscalationId, recording.Events.Single().EscalationId);

        EscalationRaiser failing = TestEscalations.Raiser([new ScriptedHandler(_ => throw new HttpRequestException())], new BrokenStore());
        await using EscalationDeliveryWorker other = failing.Worker;
        EscalationRecord undelivered = await failing.RaiseAsync("c-5", Imminent);
        Assert.Equal((EscalationStatus.Undelivered, 0, 1), (undelivered.Status, undelivered.HandlersSucceeded, undelivered.HandlersFailed));
        Assert.False(undelivered.HumanAlerted);
    }

    [Fact]
    public async Task The_turn_waits_for_the_first_delivery_no_longer_than_configured()
    {
        var hanging = new ScriptedHandler(async (_, ct) => await Task.Delay(Timeout.Infinite, ct));
        var store = new InMemoryEscalationStore();
        EscalationRaiser raiser = TestEscalations.Raiser([hanging], store, new EscalationOptions { WaitForDelivery = TimeSpan.FromMilliseconds(200) });
        await using EscalationDeliveryWorker worker = raiser.Worker;
        EscalationRecord record = await raiser.RaiseAsync("c-6", Imminent);
        Assert.Equal((EscalationStatus.Queued, 0), (record.Status, record.HandlersSucceeded));
        Assert.NotNull(await store.GetAsync(record.EscalationId)); // durable before the reply, whatever the channel does
    }

    [Fact]
    public async Task An_escalation_nobody_acknowledges_is_raised_again_to_the_fallback_and_the_observers_are_told()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        var store = new InMemoryEscalationStore();
        var webhook = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var pager = new ScriptedHandler(_ => ValueTask.CompletedTask);
        var observer = new RecordingObserver();
        var options = new EscalationOptions { AcknowledgeWithin = TimeSpan.FromMinutes(5), MaxReRaises = 2, WaitForDelivery = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(10) };
        await using var worker = new EscalationDeliveryWorker(
            store, EscalationChannel.From([webhook]), options, clock, NullLogger.Instance, EscalationChannel.From([pager], "fallback:"), [observer]);
        var raiser = new EscalationRaiser(worker, [webhook], options.WaitForDelivery, clock, NullLogger.Instance);

        EscalationRecord unanswered = await raiser.RaiseAsync("c-8", Imminent);
        EscalationRecord answered = await raiser.RaiseAsync("c-9", Imminent);
        await Until(() => webhook.Calls == 2);
        Assert.True(await new EscalationOutbox(store, clock).AcknowledgeAsync(answered.EscalationId, "op-1"));

        clock.Advance(TimeSpan.FromMinutes(4));
        worker.Signal();
        await Task.Delay(200);
        Assert.Equal(0, pager.Calls); // not yet

        clock.Advance(TimeSpan.FromMinutes(1));
        worker.Signal();
        await Until(() => pager.Calls == 1);
        EscalationEvent again = pager.Events.Single();
        Assert.Equal((unanswered.EscalationId, 1), (again.EscalationId, again.ReRaise));
        EscalationEntry entry = await Eventually(store, unanswered.EscalationId, e => e.Deliveries.Count == 2 && e.Deliveries[1].State == EscalationDeliveryState.Delivered);
        Assert.Equal(["ScriptedHandler", "fallback:ScriptedHandler@1"], entry.Deliveries.Select(d => d.Channel));
        Assert.Equal((1, clock.GetUtcNow()), (entry.ReRaises, entry.LastReRaisedAt!.Value));
        Assert.Equal([unanswered.EscalationId], observer.Seen.Select(e => e.EscalationId));

        // Measured from the last re-raise; at most MaxReRaises; an acknowledged one never.
        for (int i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            worker.Signal();
            await Task.Delay(200);
        }

        Assert.Equal(2, pager.Calls);
        Assert.Equal([1, 2], pager.Events.Select(e => e.ReRaise));
        Assert.Equal(2, observer.Seen.Count);
        Assert.DoesNotContain(pager.Events, e => e.EscalationId == answered.EscalationId);
        Assert.Equal(2, webhook.Calls); // re-raises went to the fallback only
    }

    [Fact]
    public async Task A_host_store_given_with_UseEscalationStore_keeps_the_outbox()
    {
        var store = new InMemoryEscalationStore();
        using var host = new TestHost(configure: b => b.UseEscalationStore(_ => store));
        SupportReply reply = await host.Chat.SendAsync("c-7", "I'm going to kill myself tonight");
        EscalationEntry? entry = await store.GetAsync(reply.Report.Escalation!.EscalationId);
        Assert.Equal("c-7", entry!.ConversationId);
        Assert.Same(store, host.Services.GetRequiredKeyedService<IEscalationStore>(EmpathyKitServiceCollectionExtensions.DefaultName));
    }

    [Fact]
    public void Options_that_would_let_a_slow_run_be_taken_over_are_refused()
    {
        var options = new EmpathyKitOptions();
        options.Escalations.AttemptTimeout = TimeSpan.FromMinutes(1);
        options.Escalations.QuickRetries = 2;
        options.Escalations.LeaseDuration = TimeSpan.FromMinutes(2);
        options.Escalations.FirstRetryDelay = TimeSpan.FromMinutes(2);
        options.Escalations.MaxRetryDelay = TimeSpan.FromMinutes(1);
        string failures = string.Join(" ", new EmpathyKitOptionsRules().Validate("x", options).Failures ?? []);
        Assert.Contains("LeaseDuration", failures, StringComparison.Ordinal);
        Assert.Contains("MaxRetryDelay", failures, StringComparison.Ordinal);
        Assert.True(new EmpathyKitOptionsRules().Validate("x", new EmpathyKitOptions()).Succeeded);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<EscalationDelivery> Eventually(IEscalationStore store, string id, Func<EscalationDelivery, bool> condition)
    {
        EscalationEntry entry = await Eventually(store, id, e => e.Deliveries.Count > 0 && condition(e.Deliveries[0]));
        return entry.Deliveries[0];
    }

    private static async Task<EscalationEntry> Eventually(IEscalationStore store, string id, Func<EscalationEntry, bool> condition)
    {
        for (int i = 0; i < 500; i++)
        {
            if (await store.GetAsync(id) is { } entry && condition(entry))
            {
                return entry;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The outbox never reached the expected state.");
    }

    private static async Task<EscalationEntry> Eventually(IEscalationOutbox outbox, string id, Func<EscalationDelivery, bool> condition)
    {
        for (int i = 0; i < 500; i++)
        {
            if (await outbox.GetAsync(id) is { Deliveries.Count: > 0 } entry && condition(entry.Deliveries[0]))
            {
                return entry;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The outbox never reached the expected state.");
    }

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }

    /// <summary>A handler whose n-th call (from 1) does what the script says.</summary>
    private sealed class ScriptedHandler : IEscalationHandler
    {
        private readonly Func<int, CancellationToken, ValueTask> _script;
        private int _calls;

        public ScriptedHandler(Func<int, ValueTask> script)
            : this((n, _) => script(n))
        {
        }

        public ScriptedHandler(Func<int, CancellationToken, ValueTask> script) => _script = script;

        public int Calls => Volatile.Read(ref _calls);

        public List<EscalationEvent> Events { get; } = [];

        public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref _calls);
            ValueTask result = _script(n, cancellationToken);
            if (result.IsCompletedSuccessfully)
            {
                lock (Events)
                {
                    Events.Add(escalation);
                }
            }

            return result;
        }
    }

    private sealed class RecordingObserver : IEscalationObserver
    {
        public List<EscalationEntry> Seen { get; } = [];

        public ValueTask OnReRaisedAsync(EscalationEntry escalation, CancellationToken cancellationToken = default)
        {
            lock (Seen)
            {
                Seen.Add(escalation);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class BrokenStore : IEscalationStore
    {
        public ValueTask<bool> AddAsync(EscalationEntry entry, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<IReadOnlyList<DeliveryLease>> LeaseDueAsync(DateTimeOffset now, TimeSpan duration, int max, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<bool> CompleteAsync(DeliveryLease lease, EscalationDelivery outcome, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<IReadOnlyList<EscalationEntry>> ReRaiseDueAsync(DateTimeOffset now, TimeSpan after, int maxReRaises, IReadOnlyList<string> channels, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<bool> AcknowledgeAsync(string escalationId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<bool> ResolveAsync(string escalationId, string actor, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<EscalationErasure> EraseConversationsAsync(IReadOnlyCollection<string> conversationIds, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("disk full");
    }

    private sealed class DeliveryOutcomes : IDisposable
    {
        private readonly MeterListener _listener = new();

        public DeliveryOutcomes()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "EmpathyKit" && instrument.Name == "empathykit.escalation.deliveries")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "outcome")
                    {
                        Outcomes.Enqueue(tag.Value?.ToString());
                    }
                }
            });
            _listener.Start();
        }

        public ConcurrentQueue<string?> Outcomes { get; } = new();

        public void Dispose() => _listener.Dispose();
    }
}
