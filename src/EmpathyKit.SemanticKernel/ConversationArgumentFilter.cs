using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// Carries a conversation id given in a call's <see cref="KernelArguments"/> (<see cref="EmpathyKitKernel.ConversationIdKey"/>)
/// into the execution settings the call uses, where the pipeline's chat service reads it. Settings that already name a
/// conversation are left as they are.
/// </summary>
internal sealed class ConversationArgumentFilter : IFunctionInvocationFilter
{
    /// <inheritdoc />
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Arguments.TryGetValue(EmpathyKitKernel.ConversationIdKey, out object? value) && value?.ToString() is { Length: > 0 } id)
        {
            // The call's settings, else the function's (a prompt function made without settings has an empty set).
            IReadOnlyDictionary<string, PromptExecutionSettings> current =
                context.Arguments.ExecutionSettings is { Count: > 0 } given ? given
                : context.Function.ExecutionSettings is { Count: > 0 } own ? own
                : new Dictionary<string, PromptExecutionSettings>(StringComparer.Ordinal) { [PromptExecutionSettings.DefaultServiceId] = new PromptExecutionSettings() };
            var named = new Dictionary<string, PromptExecutionSettings>(StringComparer.Ordinal);
            foreach ((string serviceId, PromptExecutionSettings settings) in current)
            {
                named[serviceId] = settings.ExtensionData?.ContainsKey(EmpathyKitKernel.ConversationIdKey) == true ? settings : EmpathyKitKernel.ForConversation(id, settings);
            }

            context.Arguments.ExecutionSettings = named;
        }

        return next(context);
    }
}
