using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// For a Kernel whose chat service is a model: names the call's conversation for the other EmpathyKit filters, and on
/// a function result that goes to the user, complete or streamed, runs the output guard over the model's words a
/// sentence at a time (<see cref="KernelReplyGuard"/>: from a failing sentence on, the safe reply) and puts the user's
/// values back in place of the placeholders. A crisis reply made by the prompt filter is passed as it is. The guard
/// fails closed.
/// </summary>
/// <remarks>
/// A streamed invocation runs its prompt, and so the prompt filter, only when the stream is read: the filter's call
/// state is set again around each read of the inner stream, and a <see cref="KernelShortCircuitException"/> from the
/// prompt filter (a crisis prompt, a redaction that failed) becomes the streamed reply. Streams of
/// <see cref="StreamingChatMessageContent"/>, <see cref="StreamingTextContent"/>, <see cref="StreamingKernelContent"/>
/// and <see cref="string"/> are guarded; any other element type is passed through unguarded and counted
/// (<c>stream_not_guarded</c>).
/// </remarks>
internal sealed class EmpathyKitFunctionFilter(KernelSafety safety) : IFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var call = new KernelSafety.CallState(KernelSafety.ConversationOf(context.Arguments));
        KernelSafety.CallState? previous = KernelSafety.Enter(call);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            KernelSafety.Leave(previous);
        }

        if (context.IsStreaming)
        {
            GuardStream(context, call);
            return;
        }

        if (context.Result.Metadata?.ContainsKey(EmpathyKitPromptRenderFilter.CrisisKey) == true)
        {
            return;
        }

        object? value = context.Result.GetValue<object>();
        string? text = value switch
        {
            string s => s,
            ChatMessageContent { Role.Label: "assistant" } message => message.Content,
            _ => null,
        };
        if (text is null)
        {
            return;
        }

        var guard = new KernelReplyGuard(safety, call);
        string shown = await guard.PushAsync(text, context.CancellationToken).ConfigureAwait(false);
        shown += await guard.CompleteAsync(context.CancellationToken).ConfigureAwait(false);
        context.Result = new FunctionResult(context.Result, value is ChatMessageContent m ? new ChatMessageContent(m.Role, shown) { Metadata = m.Metadata, ModelId = m.ModelId } : shown);
    }

    private void GuardStream(FunctionInvocationContext context, KernelSafety.CallState call)
    {
        object? guarded = context.Result.GetValue<object>() switch
        {
            // Most specific first: a stream of chat content is also one of kernel content.
            IAsyncEnumerable<StreamingChatMessageContent> chat => Guarded(chat, call, c => c.Content, ChatChunk),
            IAsyncEnumerable<StreamingTextContent> plain => Guarded(plain, call, c => c.Text, (text, last, metadata) => new StreamingTextContent(text) { ModelId = last?.ModelId, Metadata = metadata ?? last?.Metadata }),
            IAsyncEnumerable<StreamingKernelContent> content => Guarded<StreamingKernelContent>(content, call, c => c.ToString(), ChatChunk),
            IAsyncEnumerable<string> strings => Guarded(strings, call, s => s, (text, _, _) => text),
            _ => null,
        };
        if (guarded is null)
        {
            KernelFilterTelemetry.Count("stream_not_guarded");
            return;
        }

        context.Result = new FunctionResult(context.Result, guarded);
    }

    /// <summary>A chunk of the shown reply as assistant chat content, with the model id and metadata of the update it replaces.</summary>
    private static StreamingChatMessageContent ChatChunk(string text, StreamingKernelContent? last, IReadOnlyDictionary<string, object?>? metadata) =>
        new(AuthorRole.Assistant, text) { ModelId = last?.ModelId, Metadata = metadata ?? last?.Metadata };

    /// <summary>The inner stream, its text held back a sentence at a time until guarded; elements without text pass as they are.</summary>
    private async IAsyncEnumerable<T> Guarded<T>(
        IAsyncEnumerable<T> source,
        KernelSafety.CallState call,
        Func<T, string?> read,
        Func<string, T?, IReadOnlyDictionary<string, object?>?, T> make,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var guard = new KernelReplyGuard(safety, call);
        T? last = default;
        IAsyncEnumerator<T> updates = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                // The prompt is rendered (and the model called) inside this read: the other filters see this call's state.
                KernelSafety.CallState? previous = KernelSafety.Enter(call);
                KernelShortCircuitException? answered = null;
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (KernelShortCircuitException ex)
                {
                    answered = ex;
                    more = false;
                }
                finally
                {
                    KernelSafety.Leave(previous);
                }

                if (answered is not null)
                {
                    Dictionary<string, object?>? metadata = answered.Assessment is { } assessment ? new() { [EmpathyKitPromptRenderFilter.CrisisKey] = assessment } : null;
                    yield return make(answered.Reply, last, metadata);
                    yield break;
                }

                if (!more)
                {
                    break;
                }

                T update = updates.Current;
                last = update;
                string? text = read(update);
                if (string.IsNullOrEmpty(text))
                {
                    yield return update;
                    continue;
                }

                string shown = await guard.PushAsync(text, cancellationToken).ConfigureAwait(false);
                if (shown.Length > 0)
                {
                    yield return make(shown, update, null);
                }

                if (guard.Stopped)
                {
                    yield break;
                }
            }

            string rest = await guard.CompleteAsync(cancellationToken).ConfigureAwait(false);
            if (rest.Length > 0)
            {
                yield return make(rest, last, null);
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }
}
