using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// The provider when a Kernel answers: the pipeline's messages (EmpathyKit's system prompt first, redacted) become a
/// <see cref="ChatHistory"/> for the Kernel's chat service. On a support turn (the request carries a turn report) the
/// Kernel's plugins are offered when the options allow it and the turn's risk is below moderate; the model's calls
/// run through a filter that gives the tools the user's values and redacts their results before the model sees them.
/// A request without a turn report (the crisis second opinion) goes to the chat service as it is, with no plugins.
/// </summary>
internal sealed class KernelChatClient(Kernel kernel, IPiiRedactor redactor, KernelResponderOptions options) : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("empathykit-semantic-kernel");

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        (Kernel callKernel, ChatHistory history, PromptExecutionSettings settings) = Prepare(messages, options);
        IChatCompletionService service = callKernel.GetRequiredService<IChatCompletionService>();
        IReadOnlyList<ChatMessageContent> replies = await service.GetChatMessageContentsAsync(history, settings, callKernel, cancellationToken).ConfigureAwait(false);
        string text = string.Concat(replies.Where(r => r.Role == AuthorRole.Assistant).Select(r => r.Content));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (Kernel callKernel, ChatHistory history, PromptExecutionSettings settings) = Prepare(messages, options);
        IChatCompletionService service = callKernel.GetRequiredService<IChatCompletionService>();
        await foreach (StreamingChatMessageContent update in service.GetStreamingChatMessageContentsAsync(history, settings, callKernel, cancellationToken).ConfigureAwait(false))
        {
            if (!string.IsNullOrEmpty(update.Content))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, update.Content);
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType == typeof(Kernel) ? kernel
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private (Kernel Kernel, ChatHistory History, PromptExecutionSettings Settings) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions)
    {
        var history = new ChatHistory();
        foreach (ChatMessage message in messages)
        {
            AuthorRole role = message.Role == ChatRole.System ? AuthorRole.System
                : message.Role == ChatRole.Assistant ? AuthorRole.Assistant
                : AuthorRole.User;
            history.Add(new ChatMessageContent(role, message.Text));
        }

        var settings = new PromptExecutionSettings();
        TurnReport? report = chatOptions.GetTurnReport();
        bool plugins = report is not null && options.EnablePlugins && kernel.Plugins.Count > 0
            && (report.Crisis?.Level ?? RiskLevel.None) < RiskLevel.Moderate;
        if (!plugins)
        {
            // No behaviour at all: FunctionChoiceBehavior.None() would still describe the plugins to the model.
            return (kernel, history, settings);
        }

        // A kernel of this call's own, so the filter knows the conversation whose placeholders it restores and writes.
        Kernel callKernel = kernel.Clone();
        callKernel.AutoFunctionInvocationFilters.Add(new KernelToolFilter(redactor, report!));
        settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
        return (callKernel, history, settings);
    }
}
