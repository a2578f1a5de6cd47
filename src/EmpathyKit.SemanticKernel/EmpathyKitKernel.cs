using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>The names a Semantic Kernel app uses to talk to EmpathyKit, and the turn report on Semantic Kernel's contents.</summary>
public static class EmpathyKitKernel
{
    /// <summary>
    /// The key of the conversation id: in an execution setting's <see cref="PromptExecutionSettings.ExtensionData"/>, or
    /// in the <see cref="KernelArguments"/> of a call when the EmpathyKit filters are added. Calls with the same id are one
    /// transcript conversation; without one, each call is a conversation of its own.
    /// </summary>
    public const string ConversationIdKey = "conversation_id";

    /// <summary>Execution settings that name the conversation (a copy of <paramref name="settings"/>, or new settings).</summary>
    /// <param name="conversationId">The conversation id (1-128 characters).</param>
    /// <param name="settings">Settings to start from; not changed.</param>
    /// <returns>The settings to pass, for example in <c>new KernelArguments(settings)</c>.</returns>
    public static PromptExecutionSettings ForConversation(string conversationId, PromptExecutionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        PromptExecutionSettings copy = settings?.Clone() ?? new PromptExecutionSettings();
        copy.ExtensionData = new Dictionary<string, object>(copy.ExtensionData ?? new Dictionary<string, object>(), StringComparer.Ordinal)
        {
            [ConversationIdKey] = conversationId,
        };
        return copy;
    }

    /// <summary>The turn report of the EmpathyKit turn that produced this message (Semantic Kernel keeps it in <see cref="KernelContent.Metadata"/>).</summary>
    /// <param name="content">A message from the pipeline as a Kernel's chat service.</param>
    /// <returns>The report, or <see langword="null"/> when the message did not come from an EmpathyKit turn.</returns>
    public static TurnReport? GetTurnReport(this ChatMessageContent content) => Find(content);

    /// <summary>The turn report on a streamed content (the last update of an EmpathyKit turn carries it).</summary>
    /// <param name="content">A streamed content from the pipeline as a Kernel's chat service.</param>
    /// <returns>The report, or <see langword="null"/> for the other updates.</returns>
    public static TurnReport? GetTurnReport(this StreamingKernelContent content) =>
        (content ?? throw new ArgumentNullException(nameof(content))).Metadata?.Values.OfType<TurnReport>().FirstOrDefault();

    /// <summary>The turn report of a function's result when the function's reply came from an EmpathyKit turn.</summary>
    /// <param name="result">The result of <c>InvokePromptAsync</c> or a prompt function.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    public static TurnReport? GetTurnReport(this FunctionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Metadata?.Values.OfType<TurnReport>().FirstOrDefault()
            ?? (result.GetValue<object>() as ChatMessageContent)?.GetTurnReport();
    }

    private static TurnReport? Find(KernelContent content) =>
        (content ?? throw new ArgumentNullException(nameof(content))).Metadata?.Values.OfType<TurnReport>().FirstOrDefault();
}
