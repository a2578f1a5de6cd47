using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using Microsoft.Extensions.AI;
using OpenAI;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace EmpathyKit;

/// <summary>
/// An <see cref="IChatClient"/> for OpenAI, Azure OpenAI (v1 endpoint) and OpenAI-compatible servers (Ollama, vLLM,
/// llama.cpp, LM Studio): the official client (<c>Microsoft.Extensions.AI.OpenAI</c> over the OpenAI .NET SDK's chat
/// completions) for the protocol, inside EmpathyKit's <see cref="ProviderGuardChatClient"/>.
/// </summary>
/// <remarks>
/// <para>
/// What the official client sends is sent: messages with their text, function calls and tool results, the tools,
/// instructions, response format, temperature, top-p, output limit and stop sequences. What EmpathyKit keeps on the
/// options is never sent: <c>ChatOptions.AdditionalProperties</c> (which carry the turn report) and the conversation id
/// are removed first. The provider's temperature and output limit apply when the call does not set its own.
/// </para>
/// <para>
/// Every failure becomes a <see cref="ChatProviderException"/> whose message holds the kind and HTTP status only, so it
/// is safe to log; <see cref="ISupportChat"/> turns it into a safe reply. Each attempt is limited by
/// <see cref="OpenAIProviderOptions.AttemptTimeout"/> and the whole call by <see cref="OpenAIProviderOptions.TotalTimeout"/>;
/// connection failures and HTTP 408, 429 and 5xx are retried up to <see cref="OpenAIProviderOptions.MaxRetries"/> times
/// before any text has been returned. A reply with neither text nor a function call is a malformed response.
/// </para>
/// </remarks>
public sealed class OpenAICompatibleChatClient : DelegatingChatClient
{
    private readonly float _temperature;
    private readonly int _maxOutputTokens;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="options">The options (validated here; later changes to them have no effect).</param>
    /// <exception cref="InvalidOperationException">The options are not valid or there is no key for OpenAI.</exception>
    public OpenAICompatibleChatClient(OpenAIProviderOptions options)
        : this(options, httpClient: null)
    {
    }

    /// <summary>Initializes a new instance that sends through the given HTTP client (a proxy, a handler of the host's, or one from <c>IHttpClientFactory</c>).</summary>
    /// <param name="options">The options (validated here; later changes to them have no effect).</param>
    /// <param name="httpClient">The HTTP client to send through, or <see langword="null"/> for the SDK's own. Its own timeout should not be shorter than <see cref="OpenAIProviderOptions.AttemptTimeout"/>.</param>
    /// <exception cref="InvalidOperationException">The options are not valid or there is no key for OpenAI.</exception>
    public OpenAICompatibleChatClient(OpenAIProviderOptions options, HttpClient? httpClient)
        : base(Create(options, httpClient))
    {
        _temperature = options.Temperature;
        _maxOutputTokens = options.MaxOutputTokens;
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Prepare(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Prepare(options), cancellationToken);

    private static ProviderGuardChatClient Create(OpenAIProviderOptions options, HttpClient? httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        string key = options.ResolveApiKey();
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

        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        IChatClient official = new OpenAI.Chat.ChatClient(options.Model!, new ApiKeyCredential(key), clientOptions).AsIChatClient();
        return new ProviderGuardChatClient(official, options.TotalTimeout, Translate);
    }

    /// <summary>A copy of the call's options without what EmpathyKit keeps on them, with the provider's defaults.</summary>
    private ChatOptions Prepare(ChatOptions? options)
    {
        ChatOptions prepared = options?.Clone() ?? new ChatOptions();
        prepared.AdditionalProperties = null;
        prepared.ConversationId = null;
        prepared.Temperature ??= _temperature;
        prepared.MaxOutputTokens ??= _maxOutputTokens;
        return prepared;
    }

    /// <summary>
    /// The OpenAI SDK's failures: a result with its HTTP status (status 0: no response); timeouts and transport failures
    /// go to the guard's defaults; anything else came from reading the payload (JSON, missing choices, unexpected shapes).
    /// </summary>
    private static ChatProviderException? Translate(Exception ex) => ex switch
    {
        ClientResultException result => ProviderGuardChatClient.FromStatus(result.Status),
        OperationCanceledException or TimeoutException or HttpRequestException => null,
        _ => new ChatProviderException(ChatProviderErrorKind.MalformedResponse, null),
    };
}
