using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// Renders the host's Kernel prompt template with the turn's facts and hands it to the system-prompt stage as the
/// request's instructions, which that stage fences between EmpathyKit's safety boundaries and their restatement (the
/// request's own <see cref="ChatOptions.Instructions"/> follow the template). Sits in <see cref="StageSlot.AfterOutputGuard"/>:
/// it sees redacted text only and the report's sentiment, mood and crisis assessment.
/// </summary>
/// <remarks>
/// Both paths: it changes the options passed inward (a copy) and nothing else. It fails closed: a template that does not
/// render throws, and the façade answers with its safe reply; no model is called without the boundaries.
/// </remarks>
internal sealed class KernelTemplateStage(IChatClient inner, Kernel kernel, IPromptTemplate template) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = [.. messages];
        ChatOptions? withTemplate = await RenderAsync(list, options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, withTemplate, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = [.. messages];
        ChatOptions? withTemplate = await RenderAsync(list, options, cancellationToken).ConfigureAwait(false);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, withTemplate, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async ValueTask<ChatOptions?> RenderAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        if (options.GetTurnReport() is not { } report)
        {
            return options;
        }

        string userText = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        string rendered = await template.RenderAsync(kernel, TurnFacts.Of(report, userText), cancellationToken).ConfigureAwait(false);
        ChatOptions copy = options!.Clone();
        copy.Instructions = string.IsNullOrWhiteSpace(options!.Instructions) ? rendered : rendered.TrimEnd() + "\n\n" + options.Instructions;
        return copy;
    }
}
