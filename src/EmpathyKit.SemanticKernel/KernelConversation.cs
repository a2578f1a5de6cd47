using Microsoft.Extensions.AI;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// Gives each call from a Kernel the conversation id the app named, so the pipeline keeps one transcript conversation
/// across calls. Semantic Kernel passes an execution setting's <see cref="Microsoft.SemanticKernel.PromptExecutionSettings.ExtensionData"/>
/// to a chat client as <see cref="ChatOptions.AdditionalProperties"/>, not as <see cref="ChatOptions.ConversationId"/>;
/// this client moves <see cref="EmpathyKitKernel.ConversationIdKey"/> from one to the other (a conversation id already
/// set wins) and removes it from the properties, so it is not sent on.
/// </summary>
internal sealed class KernelConversationClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithConversation(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithConversation(options), cancellationToken);

    /// <summary>A copy of the options with the conversation id in place (the caller's options are not changed).</summary>
    internal static ChatOptions? WithConversation(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(EmpathyKitKernel.ConversationIdKey, out object? value))
        {
            return options;
        }

        ChatOptions copy = options.Clone();
        copy.AdditionalProperties!.Remove(EmpathyKitKernel.ConversationIdKey);
        if (string.IsNullOrEmpty(copy.ConversationId) && value is not null && value.ToString() is { Length: > 0 } id)
        {
            copy.ConversationId = id;
        }

        return copy;
    }
}
