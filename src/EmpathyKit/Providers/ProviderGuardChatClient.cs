using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EmpathyKit;

/// <summary>
/// What EmpathyKit adds around any model client, whatever speaks its protocol: an overall time limit for a call
/// (streaming included), a check that the reply holds something (text or a function call), and failures turned into
/// content-free <see cref="ChatProviderException"/>s (a kind and an HTTP status, never a response body, which can echo
/// the request), so they are safe to log and <see cref="ISupportChat"/> turns them into a safe reply.
/// </summary>
/// <remarks>
/// The caller's own cancellation passes through as it is. A protocol-specific translation (for example the OpenAI SDK's
/// <c>ClientResultException</c> with its status) is given to the constructor and asked first; then timeouts, transport
/// failures (<see cref="HttpRequestException"/>: unreachable) and payloads that do not parse (malformed) are mapped here.
/// Any other exception passes through unchanged: it is not a provider failure.
/// </remarks>
public sealed class ProviderGuardChatClient : DelegatingChatClient
{
    private readonly TimeSpan _totalTimeout;
    private readonly Func<Exception, ChatProviderException?>? _translate;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="innerClient">The model client.</param>
    /// <param name="totalTimeout">How long a whole call may take, streaming included; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="translate">Maps a protocol's own failures to a provider exception, or returns <see langword="null"/> for the defaults.</param>
    public ProviderGuardChatClient(IChatClient innerClient, TimeSpan totalTimeout, Func<Exception, ChatProviderException?>? translate = null)
        : base(innerClient)
    {
        if (totalTimeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(totalTimeout, TimeSpan.Zero);
        }

        _totalTimeout = totalTimeout;
        _translate = translate;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(_totalTimeout);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, total.Token).ConfigureAwait(false);
            if (!HoldsSomething(response.Messages.SelectMany(m => m.Contents)))
            {
                throw new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null);
            }
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(_totalTimeout);
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, total.Token).GetAsyncEnumerator(total.Token);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        bool any = false;
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                any |= HoldsSomething(update.Contents);
                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        if (!any)
        {
            throw new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null);
        }
    }

    private static bool HoldsSomething(IEnumerable<AIContent> contents) =>
        contents.Any(c => c is TextContent { Text.Length: > 0 } or FunctionCallContent);

    /// <summary>Maps a failure to a content-free provider exception; <see langword="null"/> to let it through.</summary>
    private ChatProviderException? Translate(Exception ex, CancellationToken callerToken)
    {
        if (ex is ChatProviderException || (ex is OperationCanceledException && callerToken.IsCancellationRequested))
        {
            return null;
        }

        return _translate?.Invoke(ex) ?? ex switch
        {
            OperationCanceledException or TimeoutException => new ChatProviderException(ChatProviderErrorKind.Timeout, null),
            HttpRequestException { StatusCode: { } status } => FromStatus((int)status),
            HttpRequestException => new ChatProviderException(ChatProviderErrorKind.Unreachable, null),
            JsonException or FormatException or KeyNotFoundException => new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null),
            _ => null,
        };
    }

    /// <summary>The provider failure an HTTP status stands for.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The exception (its message holds the kind and the status only).</returns>
    public static ChatProviderException FromStatus(int status) => status switch
    {
        401 or 403 => new ChatProviderException(ChatProviderErrorKind.Unauthorized, status),
        429 => new ChatProviderException(ChatProviderErrorKind.RateLimited, status),
        408 or 504 => new ChatProviderException(ChatProviderErrorKind.Timeout, status),
        >= 500 => new ChatProviderException(ChatProviderErrorKind.ServerError, status),
        >= 400 => new ChatProviderException(ChatProviderErrorKind.BadRequest, status),
        0 => new ChatProviderException(ChatProviderErrorKind.Unreachable, null),
        _ => new ChatProviderException(ChatProviderErrorKind.MalformedResponse, status),
    };
}
