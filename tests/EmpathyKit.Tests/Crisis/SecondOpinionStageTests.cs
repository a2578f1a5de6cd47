using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text;
using EmpathyKit.Crisis;
using EmpathyKit.Pipeline;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit.Tests.Crisis;

/// <summary>
/// The crisis stage with a second opinion, built directly around gated fakes (the escalation stage outside it, as in the
/// pipeline): the test decides what finishes first with <see cref="TaskCompletionSource"/>s, never with sleeps.
/// </summary>
public sealed class SecondOpinionStageTests
{
    private const string InnerText = "INNER-REPLY-CANARY";

    /// <summary>Only bounds a broken implementation (a hang becomes a failure); no test waits for it.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly CrisisAssessment None = CrisisAssessment.NoRisk;
    private static readonly CrisisAssessment Moderate = new(RiskLevel.Moderate, [CrisisCategory.Suicidal], ["passive_ideation"]);
    private static readonly CrisisAssessment High = new(RiskLevel.High, [CrisisCategory.Suicidal], ["active_ideation"]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task The_reply_starts_at_once_and_is_released_when_both_have_finished(bool secondOpinionFirst, bool streaming)
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient();
        using var outcomes = new OutcomeRecorder();
        var rig = new Rig(None, second, inner);
        Task<(string Text, TurnReport Report)> turn = rig.RunAsync(streaming);

        // Both run concurrently: the reply is under way while the second opinion is still out.
        await inner.Started.Task.WaitAsync(Limit);
        await second.Started.Task.WaitAsync(Limit);
        if (secondOpinionFirst)
        {
            second.Answer.SetResult(Moderate);
            await Task.Yield();
            Assert.False(turn.IsCompleted);
            inner.Release.SetResult();
        }
        else
        {
            inner.Release.SetResult();
            await inner.Finished.Task.WaitAsync(Limit);
            Assert.False(turn.IsCompleted);
            second.Answer.SetResult(Moderate);
        }

        (string text, TurnReport report) = await turn.WaitAsync(Limit);
        Assert.Equal(InnerText, text);
        Assert.Equal(ReplySource.Provider, report.ReplySource);
        Assert.Equal(RiskLevel.Moderate, report.Crisis!.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, report.Crisis.Signals);
        Assert.Null(report.Escalation);
        Assert.False(inner.Cancelled);
        Assert.True(outcomes.Saw("raised"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task A_second_opinion_at_the_short_circuit_level_replaces_the_reply_and_escalates(bool replyFirst, bool streaming)
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient();
        using var outcomes = new OutcomeRecorder();
        var rig = new Rig(None, second, inner);
        Task<(string Text, TurnReport Report)> turn = rig.RunAsync(streaming);
        await inner.Started.Task.WaitAsync(Limit);
        await second.Started.Task.WaitAsync(Limit);
        if (replyFirst)
        {
            inner.Release.SetResult();
            await inner.Finished.Task.WaitAsync(Limit);
        }
        else if (streaming)
        {
            // The first chunk has been produced and is held.
            await inner.WaitingForRelease.Task.WaitAsync(Limit);
        }

        second.Answer.SetResult(High);
        (string text, TurnReport report) = await turn.WaitAsync(Limit);

        Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        Assert.Contains("116 123", text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
        Assert.Equal(RiskLevel.High, report.Crisis!.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, report.Crisis.Signals);
        Assert.Contains("active_ideation", report.Crisis.Signals);
        Assert.Null(report.RedactedReply);
        Assert.Single(rig.Escalations);
        Assert.Equal(RiskLevel.High, rig.Escalations.Single().Assessment.Level);
        Assert.True(report.Escalation!.HumanAlerted);
        Assert.Equal(!replyFirst, inner.Cancelled);
        if (streaming)
        {
            Assert.True(inner.Disposed);
        }

        Assert.True(outcomes.Saw("short_circuited"));
    }

    [Fact]
    public async Task Streamed_updates_are_held_until_the_second_opinion_agrees_then_flushed_and_live()
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient(before: ["one ", "two "], after: ["three"]);
        var rig = new Rig(None, second, inner);
        await using IAsyncEnumerator<ChatResponseUpdate> stream = rig.Pipeline.GetStreamingResponseAsync(Rig.Messages, rig.Options()).GetAsyncEnumerator();

        ValueTask<bool> first = stream.MoveNextAsync();
        await inner.WaitingForRelease.Task.WaitAsync(Limit);
        Assert.False(first.IsCompleted);

        second.Answer.SetResult(None);
        Assert.True(await first.AsTask().WaitAsync(Limit));
        Assert.Equal("one ", stream.Current.Text);
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("two ", stream.Current.Text);

        // Now live: the next update comes when the provider sends it.
        ValueTask<bool> third = stream.MoveNextAsync();
        Assert.False(third.IsCompleted);
        inner.Release.SetResult();
        Assert.True(await third.AsTask().WaitAsync(Limit));
        Assert.Equal("three", stream.Current.Text);
        Assert.False(await stream.MoveNextAsync());
        Assert.Equal(RiskLevel.None, rig.Report.Crisis!.Level);
        Assert.DoesNotContain(CrisisSecondOpinion.Signal, rig.Report.Crisis.Signals);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lower_second_opinion_never_lowers_the_risk(bool streaming)
    {
        var second = new GatedDetector();
        second.Answer.SetResult(None);
        using var outcomes = new OutcomeRecorder();
        var rig = new Rig(Moderate, second, new GatedChatClient(released: true));
        (string text, TurnReport report) = await rig.RunAsync(streaming);
        Assert.Equal(InnerText, text);
        Assert.Same(Moderate, report.Crisis);
        Assert.Equal(ReplySource.Provider, report.ReplySource);
        Assert.True(outcomes.Saw("agreed"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_built_in_short_circuit_does_not_wait_for_or_ask_the_second_opinion(bool streaming)
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient(released: true);
        var rig = new Rig(High, second, inner);
        (string text, TurnReport report) = await rig.RunAsync(streaming);
        Assert.Contains("116 123", text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
        Assert.Same(High, report.Crisis);
        Assert.Equal(0, second.Calls);
        Assert.Equal(0, inner.Calls);
        Assert.Single(rig.Escalations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_opinion_that_takes_longer_than_its_timeout_leaves_the_built_in_assessment(bool streaming)
    {
        var time = new ManualTimers();
        var second = new GatedDetector();
        using var outcomes = new OutcomeRecorder();
        var rig = new Rig(Moderate, second, new GatedChatClient(released: true), time, TimeSpan.FromSeconds(2));
        Task<(string Text, TurnReport Report)> turn = rig.RunAsync(streaming);
        await second.Started.Task.WaitAsync(Limit);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Yield();
        Assert.False(turn.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        (string text, TurnReport report) = await turn.WaitAsync(Limit);
        Assert.Equal(InnerText, text);
        Assert.Equal(RiskLevel.Moderate, report.Crisis!.Level);
        Assert.Contains(CrisisSecondOpinion.UnavailableSignal, report.Crisis.Signals);
        Assert.Contains("passive_ideation", report.Crisis.Signals);
        await second.SawCancellation.Task.WaitAsync(Limit);
        Assert.True(outcomes.Saw("timed_out"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_second_opinion_leaves_the_built_in_assessment(bool streaming)
    {
        using var outcomes = new OutcomeRecorder();
        foreach (ICrisisDetector failing in new ICrisisDetector[] { new ThrowingDetector(synchronously: true), new ThrowingDetector(synchronously: false), new NullDetector() })
        {
            var rig = new Rig(None, failing, new GatedChatClient(released: true));
            (string text, TurnReport report) = await rig.RunAsync(streaming);
            Assert.Equal(InnerText, text);
            Assert.Equal(RiskLevel.None, report.Crisis!.Level);
            Assert.Equal([CrisisSecondOpinion.UnavailableSignal], report.Crisis.Signals);
            Assert.Equal(ReplySource.Provider, report.ReplySource);
        }

        Assert.True(outcomes.Saw("failed"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_the_reply_fails_the_second_opinion_still_decides(bool streaming)
    {
        // At the short-circuit level the crisis reply wins over the failure (fail safe) ...
        var second = new GatedDetector();
        var rig = new Rig(None, second, new GatedChatClient(released: true) { Throw = new InvalidOperationException("provider down") });
        Task<(string Text, TurnReport Report)> turn = rig.RunAsync(streaming);
        await second.Started.Task.WaitAsync(Limit);
        second.Answer.SetResult(High);
        (string text, TurnReport report) = await turn.WaitAsync(Limit);
        Assert.Contains("116 123", text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
        Assert.Single(rig.Escalations);

        // ... below it the failure goes on (the façade gives a safe reply), with the raised assessment recorded.
        var below = new GatedDetector();
        below.Answer.SetResult(Moderate);
        var failing = new Rig(None, below, new GatedChatClient(released: true) { Throw = new InvalidOperationException("provider down") });
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(streaming));
        Assert.Equal(RiskLevel.Moderate, failing.Report.Crisis!.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, failing.Report.Crisis.Signals);
    }

    [Fact]
    public async Task A_failing_built_in_detector_fails_safe_without_waiting_for_the_second_opinion()
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient(released: true);
        var options = new CrisisOptions();
        var stage = new CrisisStage(inner, new ThrowingDetector(synchronously: false), new CrisisSecondOpinion(second, options.SecondOpinionTimeout, TimeProvider.System), new CrisisReplyBuilder(options, CrisisDirectory.Default, "GB"), options, NullLogger.Instance);
        ChatResponse response = await stage.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")]);
        TurnReport report = response.GetTurnReport()!;
        Assert.Contains(CrisisSignals.DetectorError, report.Crisis!.Signals);
        Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
        Assert.Equal(0, second.Calls);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task Cancelling_the_turn_while_the_second_opinion_is_out_stops_the_held_stream()
    {
        var second = new GatedDetector();
        var inner = new GatedChatClient();
        var rig = new Rig(None, second, inner);
        using var cancel = new CancellationTokenSource();
        Task<(string Text, TurnReport Report)> turn = rig.RunAsync(streaming: true, cancel.Token);
        await inner.WaitingForRelease.Task.WaitAsync(Limit);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => turn.WaitAsync(Limit));
        Assert.True(inner.Cancelled);
        Assert.True(inner.Disposed);
    }

    [Fact]
    public async Task Outcomes_are_counted_with_content_free_tags()
    {
        using var outcomes = new OutcomeRecorder();
        var second = new GatedDetector();
        second.Answer.SetResult(High);
        await new Rig(None, second, new GatedChatClient(released: true)).RunAsync(streaming: false);
        Assert.True(outcomes.Saw("short_circuited"));
        Assert.All(outcomes.Tags, t => Assert.Equal("outcome", t.Key));
        Assert.All(outcomes.Tags, t => Assert.Contains(t.Value, new[] { "agreed", "raised", "short_circuited", "failed", "timed_out" }));
    }

    /// <summary>The escalation stage around the crisis stage, as the pipeline composes them.</summary>
    private sealed class Rig
    {
        private readonly TurnReport _report = new() { ConversationId = "c-rig" };

        public Rig(CrisisAssessment builtIn, ICrisisDetector second, IChatClient inner, TimeProvider? time = null, TimeSpan? timeout = null)
        {
            var options = new CrisisOptions { SecondOpinionTimeout = timeout ?? TimeSpan.FromSeconds(30) };
            var crisis = new CrisisStage(
                inner,
                new FixedDetector(builtIn),
                new CrisisSecondOpinion(second, options.SecondOpinionTimeout, time ?? TimeProvider.System),
                new CrisisReplyBuilder(options, CrisisDirectory.Default, "GB"),
                options,
                NullLogger.Instance);
            Pipeline = new EscalationStage(crisis, TestEscalations.Raiser([new RecordingHandler(Escalations)]), RiskLevel.High);
        }

        /// <summary>Gets the turn: the second opinion checks it sees the message and the earlier user turn.</summary>
        public static List<ChatMessage> Messages => [new(ChatRole.User, "earlier"), new(ChatRole.Assistant, "…"), new(ChatRole.User, "hello")];

        public IChatClient Pipeline { get; }

        public ConcurrentQueue<EscalationEvent> Escalations { get; } = new();

        public TurnReport Report => _report;

        public ChatOptions Options() => new ChatOptions { ConversationId = "c-rig" }.SetTurnReport(_report);

        public async Task<(string Text, TurnReport Report)> RunAsync(bool streaming, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> messages = Messages;
            if (!streaming)
            {
                ChatResponse response = await Pipeline.GetResponseAsync(messages, Options(), cancellationToken);
                return (response.Text, _report);
            }

            var text = new StringBuilder();
            await foreach (ChatResponseUpdate update in Pipeline.GetStreamingResponseAsync(messages, Options(), cancellationToken))
            {
                text.Append(update.Text);
            }

            return (text.ToString(), _report);
        }
    }

    /// <summary>A provider whose reply the test releases: <c>before</c> is sent at once, <c>after</c> once released.</summary>
    private sealed class GatedChatClient : IChatClient
    {
        private readonly string[] _before;
        private readonly string[] _after;
        private int _calls;

        public GatedChatClient(string[]? before = null, string[]? after = null, bool released = false)
        {
            _before = before ?? ["INNER-", "REPLY-"];
            _after = after ?? ["CANARY"];
            if (released)
            {
                Release.SetResult();
            }
        }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource WaitingForRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Throw { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public bool Cancelled { get; private set; }

        public bool Disposed { get; private set; }

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            await WaitAsync(cancellationToken);
            Finished.TrySetResult();
            return Throw is not null ? throw Throw : new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(_before.Concat(_after))));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            try
            {
                foreach (string chunk in _before)
                {
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
                }

                await WaitAsync(cancellationToken);
                if (Throw is not null)
                {
                    throw Throw;
                }

                foreach (string chunk in _after)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
                }

                Finished.TrySetResult();
            }
            finally
            {
                Disposed = true;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        private async Task WaitAsync(CancellationToken cancellationToken)
        {
            WaitingForRelease.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
        }
    }

    /// <summary>A second opinion that answers when the test says so.</summary>
    private sealed class GatedDetector : ICrisisDetector
    {
        private int _calls;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<CrisisAssessment> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource SawCancellation { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
        {
            Assert.Equal("hello", input.Text);
            Assert.Equal(["earlier"], input.EarlierUserTurns);
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            try
            {
                return await Answer.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation.TrySetResult();
                throw;
            }
        }
    }

    private sealed class FixedDetector(CrisisAssessment assessment) : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => ValueTask.FromResult(assessment);
    }

    private sealed class ThrowingDetector(bool synchronously) : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) =>
            synchronously ? throw new InvalidOperationException("second opinion down") : FailLaterAsync();

        private static async ValueTask<CrisisAssessment> FailLaterAsync()
        {
            await Task.Yield();
            throw new HttpRequestException("second opinion down");
        }
    }

    private sealed class NullDetector : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => ValueTask.FromResult<CrisisAssessment>(null!);
    }

    private sealed class RecordingHandler(ConcurrentQueue<EscalationEvent> received) : IEscalationHandler
    {
        public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
        {
            received.Enqueue(escalation);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Listens to <c>empathykit.crisis.second_opinion</c> (other tests may add to it concurrently: assert presence, not counts).</summary>
internal sealed class OutcomeRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public OutcomeRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "EmpathyKit" && instrument.Name == "empathykit.crisis.second_opinion")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                Tags.Enqueue(new KeyValuePair<string, string?>(tag.Key, tag.Value?.ToString()));
            }
        });
        _listener.Start();
    }

    public ConcurrentQueue<KeyValuePair<string, string?>> Tags { get; } = new();

    public bool Saw(string outcome) => Tags.Any(t => t.Key == "outcome" && t.Value == outcome);

    public void Dispose() => _listener.Dispose();
}

/// <summary>A clock whose timers fire only when the test advances it.</summary>
internal sealed class ManualTimers : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private TimeSpan _elapsed;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) + _elapsed;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _elapsed.Ticks;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _elapsed += by;
            due = [.. _timers.Where(t => t.DueAt <= _elapsed)];
            foreach (ManualTimer timer in due)
            {
                _timers.Remove(timer);
            }
        }

        foreach (ManualTimer timer in due)
        {
            timer.Fire();
        }
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = _elapsed + dueTime;
                _timers.Add(timer);
            }
        }
    }

    private sealed class ManualTimer(ManualTimers owner, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Periodic timers are not needed by the code under test.
            owner.Arm(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Arm(this, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
