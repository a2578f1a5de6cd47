using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace EmpathyKit;

/// <summary>
/// An <see cref="IChatClient"/> over the OpenAI .NET SDK's chat completions API, for OpenAI, Azure OpenAI (v1 endpoint)
/// and OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio), with streaming.
/// </summary>
/// <remarks>
/// <para>
/// Only the text of system, user and assistant messages is sent, with the model, temperature, top-p, output limit and
/// stop sequences. <c>ChatOptions.AdditionalProperties</c> (which carry EmpathyKit's turn report), the conversation id
/// and any user id are never sent.
/// </para>
/// <para>
/// Every failure becomes a <see cref="ChatProviderException"/> whose message holds the kind and HTTP status only (the
/// response body, which can echo the request, is dropped), so it is safe to log; <see cref="ISupportChat"/> turns it
/// into a safe reply. Each attempt is limited by <see cref="OpenAIProviderOptions.AttemptTimeout"/> and the whole call
/// by <see cref="OpenAIProviderOptions.TotalTimeout"/>; connection failures and HTTP 408, 429 and 5xx are retried up to
/// <see cref="OpenAIProviderOptions.MaxRetries"/> times before any text has been returned. A reply with no text is a
/// malformed response.
/// </para>
/// </remarks>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly TimeSpan _totalTimeout;
    private readonly float _temperature;
    private readonly int _maxOutputTokens;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options (validated here; later changes to them have no effect).</param>
    /// <exception cref="InvalidOperationException">The options are not valid or there is no key for OpenAI.</exception>
    public OpenAICompatibleChatClient(OpenAIProviderOptions options)
        : this(options, transport: null)
    {
    }

    /// <summary>Initializes a new instance with a custom HTTP transport (for tests and proxies).</summary>
    /// <param name="options">The options.</param>
    /// <param name="transport">The HTTP client to send through, or <see langword="null"/> for the SDK's default.</param>
    internal OpenAICompatibleChatClient(OpenAIProviderOptions options, HttpClient? transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        string key = options.ResolveApiKey();
        _totalTimeout = options.TotalTimeout;
        _temperature = options.Temperature;
        _maxOutputTokens = options.MaxOutputTokens;
        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = options.AttemptTimeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            UserAgentApplicationId = "EmpathyKit",
        };
        if (options.Endpoint is { } endpoint)
        {
            clientOptions.Endpoint = endpoint;
        }

        if (transport is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(transport);
        }

        _client = new ChatClient(options.Model!, new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata("openai", options.Endpoint ?? new Uri("https://api.openai.com/v1"), options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<OpenAIChatMessage> request = ToOpenAI(messages);
        ChatCompletionOptions completionOptions = ToOpenAI(options);
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(_totalTimeout);
        try
        {
            ClientResult<ChatCompletion> result = await _client.CompleteChatAsync(request, completionOptions, total.Token).ConfigureAwait(false);
            ChatCompletion completion = result.Value ?? throw new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null);

            // The SDK reads the payload lazily: a completion without choices fails here, inside the translation.
            string text = TextOf(completion);
            if (text.Length == 0)
            {
                throw new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null);
            }

            return new ChatResponse(new AIChatMessage(AIChatRole.Assistant, text))
            {
                ResponseId = completion.Id,
                ModelId = completion.Model,
                CreatedAt = completion.CreatedAt,
                FinishReason = FinishReasonOf(completion.FinishReason),
                Usage = completion.Usage is { } usage
                    ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                    : null,
            };
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AIChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<OpenAIChatMessage> request = ToOpenAI(messages);
        ChatCompletionOptions completionOptions = ToOpenAI(options);
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(_totalTimeout);
        IAsyncEnumerator<StreamingChatCompletionUpdate> updates = _client.CompleteChatStreamingAsync(request, completionOptions, total.Token).GetAsyncEnumerator(total.Token);
        bool anyText = false;
        try
        {
            while (true)
            {
                StreamingChatCompletionUpdate update;
                string text;
                ChatResponseUpdate? mapped;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                    text = TextOf(update);
                    mapped = text.Length > 0 || update.FinishReason is not null
                        ? new ChatResponseUpdate(AIChatRole.Assistant, text)
                        {
                            ResponseId = update.CompletionId,
                            ModelId = update.Model,
                            CreatedAt = update.CreatedAt,
                            FinishReason = update.FinishReason is { } finish ? FinishReasonOf(finish) : null,
                        }
                        : null;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                anyText |= text.Length > 0;
                if (mapped is not null)
                {
                    yield return mapped;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        if (!anyText)
        {
            throw new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static List<OpenAIChatMessage> ToOpenAI(IEnumerable<AIChatMessage> messages)
    {
        var list = new List<OpenAIChatMessage>();
        foreach (AIChatMessage message in messages)
        {
            string text = message.Text;
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (message.Role == AIChatRole.System)
            {
                list.Add(new SystemChatMessage(text));
            }
            else if (message.Role == AIChatRole.User)
            {
                list.Add(new UserChatMessage(text));
            }
            else if (message.Role == AIChatRole.Assistant)
            {
                list.Add(new AssistantChatMessage(text));
            }
        }

        return list.Count > 0 ? list : throw new ArgumentException("There is no message with text to send.", nameof(messages));
    }

    private ChatCompletionOptions ToOpenAI(ChatOptions? options)
    {
        var result = new ChatCompletionOptions
        {
            Temperature = options?.Temperature ?? _temperature,
            MaxOutputTokenCount = options?.MaxOutputTokens ?? _maxOutputTokens,
        };
        if (options?.TopP is { } topP)
        {
            result.TopP = topP;
        }

        if (options?.StopSequences is { Count: > 0 } stops)
        {
            foreach (string stop in stops)
            {
                result.StopSequences.Add(stop);
            }
        }

        return result;
    }

    private static string TextOf(ChatCompletion completion)
    {
        var text = new StringBuilder();
        foreach (ChatMessageContentPart part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text)
            {
                text.Append(part.Text);
            }
        }

        return text.Length > 0 ? text.ToString() : completion.Refusal ?? string.Empty;
    }

    private static string TextOf(StreamingChatCompletionUpdate update)
    {
        if (update.ContentUpdate is not { Count: > 0 } parts)
        {
            return update.RefusalUpdate ?? string.Empty;
        }

        var text = new StringBuilder();
        foreach (ChatMessageContentPart part in parts)
        {
            if (part.Kind == ChatMessageContentPartKind.Text)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    private static Microsoft.Extensions.AI.ChatFinishReason FinishReasonOf(OpenAI.Chat.ChatFinishReason reason) => reason switch
    {
        OpenAI.Chat.ChatFinishReason.Length => Microsoft.Extensions.AI.ChatFinishReason.Length,
        OpenAI.Chat.ChatFinishReason.ContentFilter => Microsoft.Extensions.AI.ChatFinishReason.ContentFilter,
        OpenAI.Chat.ChatFinishReason.ToolCalls or OpenAI.Chat.ChatFinishReason.FunctionCall => Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
        _ => Microsoft.Extensions.AI.ChatFinishReason.Stop,
    };

    /// <summary>Maps an SDK or transport failure to a content-free <see cref="ChatProviderException"/>; <see langword="null"/> to let it through (the caller cancelled).</summary>
    private static ChatProviderException? Translate(Exception ex, CancellationToken callerToken) => ex switch
    {
        ChatProviderException => null,
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => new ChatProviderException(ChatProviderErrorKind.Timeout, null),
        ClientResultException { Status: 401 or 403 } result => new ChatProviderException(ChatProviderErrorKind.Unauthorized, result.Status),
        ClientResultException { Status: 429 } result => new ChatProviderException(ChatProviderErrorKind.RateLimited, result.Status),
        ClientResultException { Status: 408 or 504 } result => new ChatProviderException(ChatProviderErrorKind.Timeout, result.Status),
        ClientResultException { Status: >= 500 } result => new ChatProviderException(ChatProviderErrorKind.ServerError, result.Status),
        ClientResultException { Status: >= 400 } result => new ChatProviderException(ChatProviderErrorKind.BadRequest, result.Status),
        ClientResultException { Status: 0 } or HttpRequestException => new ChatProviderException(ChatProviderErrorKind.Unreachable, null),
        ClientResultException result => new ChatProviderException(ChatProviderErrorKind.MalformedResponse, result.Status),

        // Anything else came from reading the payload (JSON, missing choices, unexpected shapes).
        _ => new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null),
    };
}
