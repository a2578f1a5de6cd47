using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using EmpathyKit.Crisis;
using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Assesses the user's message with the conversation's earlier user turns. At or above the short-circuit level it
/// answers with a safe crisis reply (crisis line and emergency number) and never calls the inner stages or the provider.
/// </summary>
/// <remarks>
/// <para>Sees raw text in-process. Fails safe: a detector that throws yields a high assessment (<c>detector_error</c>).</para>
/// <para>
/// With a second opinion, the built-in assessment still decides first (a short-circuit does not wait for the second
/// opinion, which is then not asked). Otherwise the second opinion runs concurrently with the inner call, and the reply
/// is released only when both have finished (streamed updates are held until then). A second opinion at or above the
/// short-circuit level replaces the reply with the crisis reply (the inner call is cancelled and its text discarded);
/// a higher one below it raises the turn's assessment (<c>second_opinion</c>) and the reply stands; a lower one never
/// lowers the risk; a failure or a timeout leaves the built-in assessment (<c>second_opinion_unavailable</c>). The
/// second opinion never touches the report: the stage writes the combined assessment once the inner call has finished
/// or been stopped (streaming, a held read may still be in flight when the held updates are released).
/// </para>
/// </remarks>
internal sealed class CrisisStage : EmpathyStage
{
    private readonly ICrisisDetector _detector;
    private readonly CrisisSecondOpinion? _secondOpinion;
    private readonly CrisisReplyBuilder _replies;
    private readonly CrisisOptions _options;
    private readonly ILogger _logger;

    public CrisisStage(IChatClient inner, ICrisisDetector detector, CrisisSecondOpinion? secondOpinion, CrisisReplyBuilder replies, CrisisOptions options, ILogger logger)
        : base(inner, PipelineStageNames.Crisis)
    {
        _detector = detector;
        _secondOpinion = secondOpinion;
        _replies = replies;
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets the second opinion this stage asks, if any (for tests and diagnostics).</summary>
    internal CrisisSecondOpinion? SecondOpinion => _secondOpinion;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        CrisisInput input = InputOf(list);
        CrisisAssessment assessment = await AssessAsync(input, report, cancellationToken).ConfigureAwait(false);
        if (assessment.Reaches(_options.ShortCircuitLevel) || _secondOpinion is null)
        {
            Settle(activity, assessment, outcome: null);
            return assessment.Reaches(_options.ShortCircuitLevel)
                ? CrisisReply(assessment, report)
                : await base.GetResponseAsync(list, effective, cancellationToken).ConfigureAwait(false);
        }

        using var inner = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<SecondOpinionAnswer> asked = _secondOpinion.AskAsync(input, cancellationToken);
        Task<ChatResponse> reply = StartInner(list, effective, inner.Token);
        SecondOpinionAnswer answer;
        try
        {
            answer = await asked.ConfigureAwait(false);
        }
        catch
        {
            // Only the turn's cancellation gets here.
            await AbandonAsync(reply, inner).ConfigureAwait(false);
            throw;
        }

        (CrisisAssessment combined, SecondOpinionOutcome outcome) = CrisisSecondOpinion.Combine(assessment, answer, _options.ShortCircuitLevel);
        if (outcome == SecondOpinionOutcome.ShortCircuited)
        {
            // Whatever the inner call produces (or throws) is discarded: the crisis reply wins.
            await AbandonAsync(reply, inner).ConfigureAwait(false);
            Conclude(report, activity, combined, answer, outcome);
            ClearInnerReply(report);
            return CrisisReply(combined, report);
        }

        try
        {
            return await reply.ConfigureAwait(false);
        }
        finally
        {
            Conclude(report, activity, combined, answer, outcome);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        CrisisInput input = InputOf(list);
        CrisisAssessment assessment = await AssessAsync(input, report, cancellationToken).ConfigureAwait(false);
        if (assessment.Reaches(_options.ShortCircuitLevel))
        {
            Settle(activity, assessment, outcome: null);
            report.ReplySource = ReplySource.CrisisResponse;
            yield return StageUpdate(_replies.Build(assessment, report.Country), ChatFinishReason.Stop);
            yield break;
        }

        if (_secondOpinion is null)
        {
            Settle(activity, assessment, outcome: null);
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, effective, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        using var cancelInner = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<SecondOpinionAnswer> asked = _secondOpinion.AskAsync(input, cancellationToken);
        var held = new HeldStream(base.GetStreamingResponseAsync(list, effective, cancelInner.Token), cancelInner);
        await using ConfiguredAsyncDisposable disposeHeld = held.ConfigureAwait(false);
        await held.HoldUntilAsync(asked).ConfigureAwait(false);

        // Throws only when the turn is cancelled; disposing the held stream then stops the inner call.
        SecondOpinionAnswer answer = await asked.ConfigureAwait(false);
        (CrisisAssessment combined, SecondOpinionOutcome outcome) = CrisisSecondOpinion.Combine(assessment, answer, _options.ShortCircuitLevel);
        if (outcome == SecondOpinionOutcome.ShortCircuited)
        {
            // The held updates never reach the caller: the inner call is cancelled and disposed first.
            await held.AbandonAsync().ConfigureAwait(false);
            Conclude(report, activity, combined, answer, outcome);
            ClearInnerReply(report);
            report.ReplySource = ReplySource.CrisisResponse;
            yield return StageUpdate(_replies.Build(combined, report.Country), ChatFinishReason.Stop);
            yield break;
        }

        // Release what was held and go live. A read of the inner stream may still be in flight, and the inner stages read
        // the report while they stream, so the combined assessment is written only once the stream has ended (or the
        // caller stopped early): the stages outside (escalation, transcript) read it after that.
        try
        {
            while (await held.MoveNextAsync().ConfigureAwait(false))
            {
                yield return held.Current;
            }
        }
        finally
        {
            Conclude(report, activity, combined, answer, outcome);
        }
    }

    private static async Task AbandonAsync(Task reply, CancellationTokenSource inner)
    {
        await inner.CancelAsync().ConfigureAwait(false);
        try
        {
            await reply.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The abandoned reply is discarded, and so is its failure.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void ClearInnerReply(TurnReport report)
    {
        // What the inner stages recorded about a reply the user never sees (the transcript stores the crisis reply).
        report.RedactedReply = null;
        report.Guard = null;
        report.Empathy = null;
    }

    private ChatResponse CrisisReply(CrisisAssessment assessment, TurnReport report)
    {
        report.ReplySource = ReplySource.CrisisResponse;
        return StageReply(_replies.Build(assessment, report.Country), report, ChatFinishReason.Stop);
    }

    private Task<ChatResponse> StartInner(IReadOnlyList<ChatMessage> list, ChatOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return base.GetResponseAsync(list, options, cancellationToken);
        }
#pragma warning disable CA1031 // Kept on the task: the second opinion still decides whether the crisis reply wins.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<ChatResponse>(ex);
        }
    }

    private void Conclude(TurnReport report, Activity? activity, CrisisAssessment combined, SecondOpinionAnswer answer, SecondOpinionOutcome outcome)
    {
        report.Crisis = combined;
        if (outcome is SecondOpinionOutcome.Failed or SecondOpinionOutcome.TimedOut)
        {
            Log.SecondOpinionUnavailable(_logger, CrisisSecondOpinion.WireName(outcome), answer.FailureType ?? "none");
        }

        EmpathyKitTelemetry.SecondOpinions.Add(1, new KeyValuePair<string, object?>("outcome", CrisisSecondOpinion.WireName(outcome)));
        Settle(activity, combined, outcome);
    }

    private static void Settle(Activity? activity, CrisisAssessment assessment, SecondOpinionOutcome? outcome)
    {
        activity?.SetTag("empathykit.risk_level", assessment.Level.ToWireName());
        if (outcome is { } o)
        {
            activity?.SetTag("empathykit.second_opinion", CrisisSecondOpinion.WireName(o));
        }

        EmpathyKitTelemetry.CrisisAssessments.Add(1, new KeyValuePair<string, object?>("level", assessment.Level.ToWireName()));
    }

    private CrisisInput InputOf(IReadOnlyList<ChatMessage> messages)
    {
        string text = LastUserText(messages);
        List<string> earlier = [];
        bool skippedLast = false;
        for (int i = messages.Count - 1; i >= 0 && earlier.Count < _options.MemoryTurns; i--)
        {
            if (messages[i].Role != ChatRole.User)
            {
                continue;
            }

            if (!skippedLast)
            {
                skippedLast = true;
                continue;
            }

            earlier.Add(messages[i].Text);
        }

        earlier.Reverse();
        return new CrisisInput(text, earlier);
    }

    private async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, TurnReport report, CancellationToken cancellationToken)
    {
        CrisisAssessment assessment;
        try
        {
            assessment = await _detector.AssessAsync(input, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The crisis detector returned no assessment.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail safe: any detector failure means "treat as at risk".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CrisisDetectorFailed(_logger, ex.GetType().Name);
            CountFailure();
            assessment = CrisisAssessment.DetectorFailure;
        }

        // The inner stages (disclaimers, system prompt) see the built-in assessment; a second opinion may raise it later.
        report.Crisis = assessment;
        return assessment;
    }

    /// <summary>
    /// The inner stream while a second opinion is pending: reads ahead into a buffer (so the reply is not delayed), keeps
    /// a failure of the inner stream until the second opinion has decided, then replays the buffer and continues live.
    /// </summary>
    private sealed class HeldStream : IAsyncDisposable
    {
        private readonly IAsyncEnumerator<ChatResponseUpdate> _inner;
        private readonly CancellationTokenSource _cancel;
        private readonly Queue<ChatResponseUpdate> _held = new();
        private Task<bool>? _pending;
        private ExceptionDispatchInfo? _error;
        private bool _ended;
        private bool _disposed;

        public HeldStream(IAsyncEnumerable<ChatResponseUpdate> inner, CancellationTokenSource cancel)
        {
            _cancel = cancel;
            _inner = inner.GetAsyncEnumerator(cancel.Token);
        }

        public ChatResponseUpdate Current { get; private set; } = null!;

        /// <summary>Reads the inner stream into the buffer until <paramref name="until"/> completes or the stream ends or fails; never throws.</summary>
        public async Task HoldUntilAsync(Task until)
        {
            while (!until.IsCompleted && !_ended && _error is null)
            {
                _pending ??= Next();
                await Task.WhenAny(_pending, until).ConfigureAwait(false);
                if (_pending.IsCompleted)
                {
                    Collect();
                }
            }
        }

        /// <summary>Waits for a read in flight (its update is buffered, its failure kept).</summary>
        public async Task SettleAsync()
        {
            if (_pending is not null)
            {
                await Task.WhenAny(_pending).ConfigureAwait(false);
                Collect();
            }
        }

        /// <summary>Replays the buffer, then the read in flight, rethrows a kept failure, then reads live.</summary>
        public async ValueTask<bool> MoveNextAsync()
        {
            if (_held.Count == 0)
            {
                await SettleAsync().ConfigureAwait(false);
            }

            if (_held.TryDequeue(out ChatResponseUpdate? update))
            {
                Current = update;
                return true;
            }

            _error?.Throw();
            if (_ended || !await _inner.MoveNextAsync().ConfigureAwait(false))
            {
                _ended = true;
                return false;
            }

            Current = _inner.Current;
            return true;
        }

        /// <summary>Cancels the inner call, waits for it to stop and disposes it; nothing it did is kept.</summary>
        public async ValueTask AbandonAsync()
        {
            _held.Clear();
            try
            {
                await _cancel.CancelAsync().ConfigureAwait(false);
                await DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The abandoned stream is discarded, and so is its failure.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_pending is not null)
            {
                // An iterator cannot be disposed while a read is in flight: stop it first.
                await _cancel.CancelAsync().ConfigureAwait(false);
                await SettleAsync().ConfigureAwait(false);
            }

            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        private Task<bool> Next()
        {
            try
            {
                return _inner.MoveNextAsync().AsTask();
            }
#pragma warning disable CA1031 // Kept until the second opinion has decided.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Task.FromException<bool>(ex);
            }
        }

        private void Collect()
        {
            Task<bool> read = _pending!;
            _pending = null;
            try
            {
                if (read.GetAwaiter().GetResult())
                {
                    _held.Enqueue(_inner.Current);
                }
                else
                {
                    _ended = true;
                }
            }
#pragma warning disable CA1031 // Kept until the second opinion has decided.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = ExceptionDispatchInfo.Capture(ex);
            }
        }
    }
}
