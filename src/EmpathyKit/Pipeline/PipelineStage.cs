using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Base of every built-in stage. It runs both paths, a complete reply (<see cref="GetResponseAsync"/>) and a stream
/// (<see cref="GetStreamingResponseAsync"/>), around four hooks, so that a stage holds its logic once and the two paths
/// agree by construction:
/// <list type="number">
/// <item><see cref="BeforeTurnAsync"/>: look at the request, change the messages passed inward, answer the turn itself,
/// or go on while a decision is pending (<see cref="StageDecision.ContinueUnless"/>).</item>
/// <item><see cref="CreateReplyTransform"/>: a per-turn transform of the reply's text, fed the text in order (the whole
/// reply's text contents one by one, or each streamed update's); it may hold text back, and may end the reply.</item>
/// <item><see cref="ReplyStartedAsync"/>: the first part of the reply has arrived (streaming) or the reply has (complete).</item>
/// <item><see cref="AfterTurnAsync"/>: the turn is over (completed, failed, or the caller stopped reading).</item>
/// </list>
/// </summary>
/// <remarks>
/// Non-text contents (function calls and results, images, usage) pass through both paths in their place; a transform
/// may rewrite them (<see cref="ReplyTransform.TransformContentAsync"/>). A reply that ends in a function call is a tool-call
/// turn (<see cref="ReplyEnd.EndsWithFunctionCall"/>): the model asks for a tool, and the final assistant text comes on a
/// later call. The stage that creates the turn's <see cref="TurnReport"/> (the outermost) attaches it to the response, its
/// last message and, when streaming, a last content-free update, after every stage's <see cref="AfterTurnAsync"/> has run.
/// </remarks>
internal abstract class PipelineStage : DelegatingChatClient
{
    protected PipelineStage(IChatClient innerClient, string stageName)
        : base(innerClient)
    {
        StageName = stageName;
    }

    /// <summary>Gets the stage's name as recorded in the report.</summary>
    public string StageName { get; }

    /// <inheritdoc />
    public sealed override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using Activity? activity = StartActivity();
        StageTurn turn = Begin(AsList(messages), options, activity);
        StageDecision decision = await BeforeTurnAsync(turn, cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        bool answered = false;
        try
        {
            if (decision.Answer is { } answer)
            {
                answered = true;
                response = Reply(turn, answer);
            }
            else
            {
                (response, answered) = decision.Verdict is { } verdict
                    ? await InvokeUnlessAsync(turn, verdict, cancellationToken).ConfigureAwait(false)
                    : (await base.GetResponseAsync(turn.Messages, turn.Options, cancellationToken).ConfigureAwait(false), false);
            }

            await ReplyStartedAsync(turn).ConfigureAwait(false);
            if (!answered)
            {
                response = await TransformAsync(turn, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await AfterTurnAsync(turn, new TurnEnd(null, EndsWithFunctionCall: false)).ConfigureAwait(false);
            throw;
        }

        await AfterTurnAsync(turn, new TurnEnd(KeepsReplyText ? response.Text : null, EndsWithFunctionCall(response))).ConfigureAwait(false);
        if (turn.CreatedReport)
        {
            for (int i = 0; i < response.Messages.Count; i++)
            {
                MarkCalls(response.Messages[i].Contents, turn.Report);
            }
            AttachReport(response, turn.Report);
        }

        return response;
    }

    /// <inheritdoc />
    public sealed override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using Activity? activity = StartActivity();
        StageTurn turn = Begin(AsList(messages), options, activity);
        StageDecision decision = await BeforeTurnAsync(turn, cancellationToken).ConfigureAwait(false);
        System.Text.StringBuilder? shown = KeepsReplyText ? new() : null;
        bool ended = false;
        bool started = false;
        bool endsWithCall = false;
        try
        {
            if (decision.Answer is { } answer)
            {
                ApplyAnswer(turn, answer);
                await ReplyStartedAsync(turn).ConfigureAwait(false);
                started = true;
                shown?.Append(answer.Text);
                yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Text) { FinishReason = answer.FinishReason };
            }
            else
            {
                var source = new InnerStream(this, turn, decision.Verdict, cancellationToken);
                await using ConfiguredAsyncDisposable disposeSource = source.ConfigureAwait(false);
                ReplyTransform? transform = null;
                ChatFinishReason? finish = null;
                bool first = true;
                while (await source.MoveNextAsync().ConfigureAwait(false))
                {
                    if (first)
                    {
                        first = false;
                        if (source.Answer is { } late)
                        {
                            // The pending decision answered the turn: the inner stream was abandoned before anything of it was shown.
                            ApplyAnswer(turn, late);
                        }
                        else
                        {
                            transform = CreateReplyTransform(turn);
                        }

                        await ReplyStartedAsync(turn).ConfigureAwait(false);
                        started = true;
                    }

                    ChatResponseUpdate update = source.Current;
                    finish ??= update.FinishReason;
                    endsWithCall = EndsWithFunctionCall(update, endsWithCall);
                    if (turn.CreatedReport)
                    {
                        MarkCalls(update.Contents, turn.Report);
                    }

                    if (transform is null)
                    {
                        shown?.Append(update.Text);
                        yield return update;
                        continue;
                    }

                    (ChatResponseUpdate? rewritten, ChatFinishReason? stop) = await RewriteAsync(transform, update, cancellationToken).ConfigureAwait(false);
                    if (rewritten is not null)
                    {
                        shown?.Append(rewritten.Text);
                        yield return rewritten;
                    }

                    if (stop is not null)
                    {
                        transform = null;
                        break;
                    }
                }

                if (!started)
                {
                    await ReplyStartedAsync(turn).ConfigureAwait(false);
                    started = true;
                }

                if (transform is not null)
                {
                    ReplyChunk tail = await transform.CompleteAsync(new ReplyEnd(endsWithCall), cancellationToken).ConfigureAwait(false);
                    if (tail.Text.Length > 0 || tail.Stop is not null)
                    {
                        shown?.Append(tail.Text);
                        yield return new ChatResponseUpdate(ChatRole.Assistant, tail.Text) { FinishReason = tail.Stop ?? finish };
                    }
                }
            }

            ended = true;
        }
        finally
        {
            // A stream that failed or that the caller stopped reading still ends the turn: what was shown is kept.
            await AfterTurnAsync(turn, new TurnEnd(shown is not null && (shown.Length > 0 || ended) ? shown.ToString() : null, endsWithCall)).ConfigureAwait(false);
        }

        if (turn.CreatedReport)
        {
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant }.SetTurnReport(turn.Report);
        }
    }

    /// <summary>
    /// Answers <see cref="ChatClientMetadata"/> when the provider does not (Semantic Kernel's chat service requires it):
    /// the pipeline then describes itself as provider "empathykit". Everything else is asked of the inner client.
    /// </summary>
    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        base.GetService(serviceType, serviceKey)
        ?? (serviceKey is null && serviceType == typeof(ChatClientMetadata) ? PipelineMetadata : null);

    /// <summary>Gets the metadata of a pipeline whose provider gives none.</summary>
    internal static ChatClientMetadata PipelineMetadata { get; } = new("empathykit", providerUri: null, defaultModelId: null);

    /// <summary>
    /// Gets whether <see cref="AfterTurnAsync"/> reads <see cref="TurnEnd.ReplyText"/>; the reply's text is collected only
    /// for stages that say so (the transcript stage), so the other stages do not copy every streamed reply.
    /// </summary>
    protected virtual bool KeepsReplyText => false;

    /// <summary>Runs before the inner stages: may change <see cref="StageTurn.Messages"/>, answer the turn, or go on while a decision is pending.</summary>
    /// <param name="turn">The turn.</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>What to do.</returns>
    protected virtual ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken) => new(StageDecision.Continue);

    /// <summary>Creates this turn's transform of the reply, or <see langword="null"/> to pass the reply through.</summary>
    /// <param name="turn">The turn.</param>
    /// <returns>The transform.</returns>
    protected virtual ReplyTransform? CreateReplyTransform(StageTurn turn) => null;

    /// <summary>Runs when the first part of the reply has arrived (streaming) or the whole reply has (complete).</summary>
    /// <param name="turn">The turn.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask ReplyStartedAsync(StageTurn turn) => default;

    /// <summary>Runs once the turn is over, however it ended; not cancelled with the turn.</summary>
    /// <param name="turn">The turn.</param>
    /// <param name="end">How it ended.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask AfterTurnAsync(StageTurn turn, TurnEnd end) => default;

    /// <summary>Counts a failure of this stage that its failure rule handled (the caller logs it).</summary>
    protected void CountFailure() =>
        Diagnostics.EmpathyKitTelemetry.StageFailures.Add(1, new KeyValuePair<string, object?>("stage", StageName));

    private static IReadOnlyList<ChatMessage> AsList(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages as IReadOnlyList<ChatMessage> ?? [.. messages];
    }

    private Activity? StartActivity() =>
        Diagnostics.EmpathyKitTelemetry.ActivitySource.StartActivity("empathykit." + StageName)?.SetTag("empathykit.stage", StageName);

    /// <summary>Finds or creates the turn's report, on a clone of the options when this stage is the first to see the turn.</summary>
    private StageTurn Begin(IReadOnlyList<ChatMessage> messages, ChatOptions? options, Activity? activity)
    {
        TurnReport? report = options.GetTurnReport();
        bool created = report is null;
        ChatOptions effective;
        if (report is null)
        {
            effective = options?.Clone() ?? new ChatOptions();
            report = new TurnReport
            {
                ConversationId = effective.ConversationId ?? ContinuedConversation(messages) ?? "anon-" + Guid.NewGuid().ToString("N"),
                TurnIndex = Math.Max(0, UserMessages(messages) - 1),
            };
            effective.SetTurnReport(report);
        }
        else
        {
            effective = options!;
        }

        report.MarkStage(StageName);
        return new StageTurn(messages, effective, report, created, activity);
    }

    /// <summary>
    /// The property a function call in the pipeline's reply carries its conversation id in. A tool-calling client around
    /// the pipeline (Microsoft.Extensions.AI's <c>FunctionInvokingChatClient</c>, and so Semantic Kernel and the Agent
    /// Framework) sends the call back with the tool's result and, lacking a service-side conversation, clears
    /// <see cref="ChatOptions.ConversationId"/>: the call's mark keeps the continuation in its conversation.
    /// </summary>
    internal const string ConversationProperty = "EmpathyKit.ConversationId";

    /// <summary>The conversation a continuation after a tool call belongs to: the mark on a call since the last user message.</summary>
    private static string? ContinuedConversation(IReadOnlyList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0 && messages[i].Role != ChatRole.User; i--)
        {
            IList<AIContent> contents = messages[i].Contents;
            for (int c = 0; c < contents.Count; c++)
            {
                if (contents[c] is FunctionCallContent call && call.AdditionalProperties?.TryGetValue(ConversationProperty, out object? id) == true && id is string { Length: > 0 } conversation)
                {
                    return conversation;
                }
            }
        }

        return null;
    }

    private static void MarkCalls(IList<AIContent> contents, TurnReport report)
    {
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent call)
            {
                (call.AdditionalProperties ??= [])[ConversationProperty] = report.ConversationId;
            }
        }
    }

    private static int UserMessages(IReadOnlyList<ChatMessage> messages)
    {
        int count = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.User)
            {
                count++;
            }
        }

        return count;
    }

    private static void ApplyAnswer(StageTurn turn, StageAnswer answer)
    {
        if (answer.Source is { } source)
        {
            turn.Report.ReplySource = source;
        }
    }

    private static ChatResponse Reply(StageTurn turn, StageAnswer answer)
    {
        ApplyAnswer(turn, answer);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.Text)) { FinishReason = answer.FinishReason };
    }

    private static void AttachReport(ChatResponse response, TurnReport report)
    {
        response.SetTurnReport(report);
        if (response.Messages.Count > 0)
        {
            response.Messages[^1].SetTurnReport(report);
        }
    }

    /// <summary>Runs the inner call while a decision is pending; the decision's answer, if any, wins and the inner call is abandoned.</summary>
    private async Task<(ChatResponse Response, bool Answered)> InvokeUnlessAsync(StageTurn turn, Task<StageAnswer?> verdict, CancellationToken cancellationToken)
    {
        using var inner = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<ChatResponse> reply = StartInner(turn, inner.Token);
        StageAnswer? answer;
        try
        {
            answer = await verdict.ConfigureAwait(false);
        }
        catch
        {
            // Only the turn's cancellation gets here.
            await AbandonAsync(reply, inner).ConfigureAwait(false);
            throw;
        }

        if (answer is not null)
        {
            // Whatever the inner call produces (or throws) is discarded: the decision's answer wins.
            await AbandonAsync(reply, inner).ConfigureAwait(false);
            return (Reply(turn, answer), true);
        }

        return (await reply.ConfigureAwait(false), false);
    }

    private Task<ChatResponse> StartInner(StageTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            return base.GetResponseAsync(turn.Messages, turn.Options, cancellationToken);
        }
#pragma warning disable CA1031 // Kept on the task: the pending decision still decides whether its answer wins.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<ChatResponse>(ex);
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

    private IAsyncEnumerable<ChatResponseUpdate> InnerStreamOf(StageTurn turn, CancellationToken cancellationToken) =>
        base.GetStreamingResponseAsync(turn.Messages, turn.Options, cancellationToken);

    /// <summary>Feeds a complete reply's text contents, in order, through the transform; the text it emits takes their place.</summary>
    private async Task<ChatResponse> TransformAsync(StageTurn turn, ChatResponse response, CancellationToken cancellationToken)
    {
        ReplyTransform? transform = CreateReplyTransform(turn);
        if (transform is null)
        {
            return response;
        }

        var messages = new List<ChatMessage>(response.Messages.Count);
        ChatFinishReason? stop = null;
        bool endsWithCall = false;
        for (int m = 0; m < response.Messages.Count; m++)
        {
            ChatMessage message = response.Messages[m];
            if (message.Role != ChatRole.Assistant)
            {
                // Tool results produced inside the provider: not the reply's text.
                messages.Add(message);
                continue;
            }

            endsWithCall = EndsWithFunctionCall(message.Contents, endsWithCall);
            (List<AIContent> contents, stop) = await TransformContentsAsync(transform, message.Contents, cancellationToken).ConfigureAwait(false);
            messages.Add(CopyWith(message, Coalesced(contents)));
            if (stop is not null)
            {
                break;
            }
        }

        if (stop is null)
        {
            ReplyChunk tail = await transform.CompleteAsync(new ReplyEnd(endsWithCall), cancellationToken).ConfigureAwait(false);
            stop = tail.Stop;
            if (tail.Text.Length > 0)
            {
                int last = messages.FindLastIndex(m => m.Role == ChatRole.Assistant);
                if (last >= 0 && !endsWithCall)
                {
                    messages[last] = CopyWith(messages[last], Coalesced([.. messages[last].Contents, new TextContent(tail.Text)]));
                }
                else
                {
                    messages.Add(new ChatMessage(ChatRole.Assistant, tail.Text));
                }
            }
        }

        return new ChatResponse(messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = stop ?? response.FinishReason,
            Usage = response.Usage,
            AdditionalProperties = response.AdditionalProperties,
            RawRepresentation = response.RawRepresentation,
        };
    }

    /// <summary>Feeds one update's contents through the transform; <see langword="null"/> when nothing of it is left to show.</summary>
    private static async ValueTask<(ChatResponseUpdate? Update, ChatFinishReason? Stop)> RewriteAsync(ReplyTransform transform, ChatResponseUpdate update, CancellationToken cancellationToken)
    {
        (List<AIContent> contents, ChatFinishReason? stop) = await TransformContentsAsync(transform, update.Contents, cancellationToken).ConfigureAwait(false);
        if (contents.Count == 0 && stop is null && update.FinishReason is null)
        {
            return (null, null);
        }

        return (new ChatResponseUpdate(update.Role ?? ChatRole.Assistant, contents)
        {
            ResponseId = update.ResponseId,
            MessageId = update.MessageId,
            ConversationId = update.ConversationId,
            ModelId = update.ModelId,
            CreatedAt = update.CreatedAt,
            FinishReason = stop ?? update.FinishReason,
            AuthorName = update.AuthorName,
            AdditionalProperties = update.AdditionalProperties,
            RawRepresentation = update.RawRepresentation,
        }, stop);
    }

    /// <summary>
    /// Feeds contents, in order, through the transform, the same for a complete reply's message and a streamed update:
    /// text is replaced by what the transform shows, other contents by what it makes of them; stops where it ends the reply.
    /// </summary>
    private static async ValueTask<(List<AIContent> Contents, ChatFinishReason? Stop)> TransformContentsAsync(ReplyTransform transform, IList<AIContent> source, CancellationToken cancellationToken)
    {
        var contents = new List<AIContent>(source.Count);
        for (int c = 0; c < source.Count; c++)
        {
            AIContent content = source[c];
            if (content is TextContent text)
            {
                ReplyChunk chunk = await transform.PushAsync(text.Text ?? string.Empty, cancellationToken).ConfigureAwait(false);
                if (chunk.Text.Length > 0)
                {
                    contents.Add(new TextContent(chunk.Text));
                }

                if (chunk.Stop is { } reason)
                {
                    return (contents, reason);
                }
            }
            else
            {
                contents.Add(await transform.TransformContentAsync(content, cancellationToken).ConfigureAwait(false));
            }
        }

        return (contents, null);
    }

    /// <summary>
    /// A complete reply's contents with each run of adjacent texts joined into one: the transforms give text in pieces
    /// (the guard a sentence at a time), and hosts that read a message's first text content (Semantic Kernel's
    /// <c>ChatMessageContent.Content</c>) would otherwise see only the first piece. Other contents keep their place.
    /// </summary>
    internal static List<AIContent> Coalesced(List<AIContent> contents)
    {
        bool adjacent = false;
        for (int i = 1; i < contents.Count && !adjacent; i++)
        {
            adjacent = Joinable(contents[i - 1]) && Joinable(contents[i]);
        }

        if (!adjacent)
        {
            return contents;
        }

        var joined = new List<AIContent>(contents.Count);
        System.Text.StringBuilder? run = null;
        foreach (AIContent content in contents)
        {
            if (Joinable(content))
            {
                (run ??= new System.Text.StringBuilder()).Append(((TextContent)content).Text);
                continue;
            }

            Flush();
            joined.Add(content);
        }

        Flush();
        return joined;

        void Flush()
        {
            if (run is { Length: > 0 })
            {
                joined.Add(new TextContent(run.ToString()));
            }

            run = null;
        }
    }

    private static bool Joinable(AIContent content) =>
        content is TextContent text && text.GetType() == typeof(TextContent) && text.AdditionalProperties is null && text.Annotations is null;

    private static ChatMessage CopyWith(ChatMessage message, IList<AIContent> contents) =>
        new(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties,
            RawRepresentation = message.RawRepresentation,
        };

    private static bool EndsWithFunctionCall(ChatResponse response)
    {
        bool endsWithCall = false;
        IList<ChatMessage> messages = response.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            endsWithCall = EndsWithFunctionCall(messages[i].Contents, endsWithCall);
        }

        return endsWithCall;
    }

    private static bool EndsWithFunctionCall(ChatResponseUpdate update, bool before) => EndsWithFunctionCall(update.Contents, before);

    private static bool EndsWithFunctionCall(IList<AIContent> contents, bool before)
    {
        bool endsWithCall = before;
        for (int i = 0; i < contents.Count; i++)
        {
            endsWithCall = contents[i] is FunctionCallContent || (endsWithCall && contents[i] is not TextContent { Text.Length: > 0 });
        }

        return endsWithCall;
    }

    /// <summary>
    /// The inner stream of a turn. With a pending decision it reads ahead into a buffer (so the reply is not delayed),
    /// keeps a failure of the inner stream until the decision is made, and then either replays the buffer and goes on
    /// live, or abandons the inner call (cancelled and disposed, nothing of it shown) and yields the decision's answer.
    /// </summary>
    private sealed class InnerStream : IAsyncDisposable
    {
        private readonly Task<StageAnswer?>? _verdict;
        // Only a pending decision may need to stop the inner call; without one the turn's token is passed as it is.
        private readonly CancellationTokenSource? _cancel;
        private readonly IAsyncEnumerator<ChatResponseUpdate> _inner;
        private readonly Queue<ChatResponseUpdate> _held = new();
        private Task<bool>? _pending;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;
        private bool _decided;
        private bool _ended;
        private bool _disposed;

        public InnerStream(PipelineStage stage, StageTurn turn, Task<StageAnswer?>? verdict, CancellationToken cancellationToken)
        {
            _verdict = verdict;
            _decided = verdict is null;
            _cancel = verdict is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            CancellationToken token = _cancel?.Token ?? cancellationToken;
            _inner = stage.InnerStreamOf(turn, token).GetAsyncEnumerator(token);
        }

        public ChatResponseUpdate Current { get; private set; } = null!;

        /// <summary>Gets the pending decision's answer once it answered the turn.</summary>
        public StageAnswer? Answer { get; private set; }

        public async ValueTask<bool> MoveNextAsync()
        {
            if (!_decided)
            {
                _decided = true;
                await HoldUntilAsync(_verdict!).ConfigureAwait(false);

                // Throws only when the turn is cancelled; disposing then stops the inner call.
                StageAnswer? answer = await _verdict!.ConfigureAwait(false);
                if (answer is not null)
                {
                    await AbandonAsync().ConfigureAwait(false);
                    Answer = answer;
                    Current = new ChatResponseUpdate(ChatRole.Assistant, answer.Text) { FinishReason = answer.FinishReason };
                    _ended = true;
                    return true;
                }
            }

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

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_pending is not null)
            {
                // An iterator cannot be disposed while a read is in flight: stop it first (reads run ahead only while a
                // decision is pending, so the source exists).
                await _cancel!.CancelAsync().ConfigureAwait(false);
                await SettleAsync().ConfigureAwait(false);
            }

            await _inner.DisposeAsync().ConfigureAwait(false);
            _cancel?.Dispose();
        }

        /// <summary>Reads the inner stream into the buffer until <paramref name="until"/> completes or the stream ends or fails; never throws.</summary>
        private async Task HoldUntilAsync(Task until)
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
        private async Task SettleAsync()
        {
            if (_pending is not null)
            {
                await Task.WhenAny(_pending).ConfigureAwait(false);
                Collect();
            }
        }

        /// <summary>Cancels the inner call, waits for it to stop and disposes it; nothing it did is kept.</summary>
        private async ValueTask AbandonAsync()
        {
            _held.Clear();
            try
            {
                await _cancel!.CancelAsync().ConfigureAwait(false);
                await DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The abandoned stream is discarded, and so is its failure.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            // Its failure (the cancellation, most often) is discarded with it.
            _error = null;
            _ended = true;
        }

        private Task<bool> Next()
        {
            try
            {
                return _inner.MoveNextAsync().AsTask();
            }
#pragma warning disable CA1031 // Kept until the decision is made.
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
#pragma warning disable CA1031 // Kept until the decision is made.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
        }
    }
}
