using EmpathyKit.Pipeline;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// For a Kernel whose chat service is a model: names the call's conversation for the other EmpathyKit filters, and on
/// a completed (not streamed) function result that goes to the user runs the output guard over the model's words (a
/// failing reply becomes the safe reply) and then puts the user's values back in place of the placeholders. A crisis
/// reply made by the prompt filter is passed as it is. The guard fails closed.
/// </summary>
internal sealed class EmpathyKitFunctionFilter(KernelSafety safety) : IFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var call = new KernelSafety.CallState(KernelSafety.ConversationOf(context.Arguments));
        string conversation = call.Conversation;
        KernelSafety.CallState? previous = KernelSafety.Enter(call);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            KernelSafety.Leave(previous);
        }

        if (context.IsStreaming || context.Result.Metadata?.ContainsKey(EmpathyKitPromptRenderFilter.CrisisKey) == true)
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

        string shown;
        try
        {
            GuardResult verdict = await safety.Guard.CheckAsync(text, new GuardContext(int.MaxValue, call.Risk) { PlaceholderFormat = safety.Redactor.PlaceholderFormat }, context.CancellationToken).ConfigureAwait(false);
            shown = verdict.Passed ? safety.Redactor.Rehydrate(conversation, text) : GuardStage.SafeReply;
            if (!verdict.Passed)
            {
                KernelFilterTelemetry.Count("guard_replaced");
            }
        }
#pragma warning disable CA1031 // Fail closed: an unchecked reply is not shown.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            shown = GuardStage.SafeReply;
            KernelFilterTelemetry.Count("failed_closed");
        }

        context.Result = new FunctionResult(context.Result, value is ChatMessageContent m ? new ChatMessageContent(m.Role, shown) { Metadata = m.Metadata, ModelId = m.ModelId } : shown);
    }
}
