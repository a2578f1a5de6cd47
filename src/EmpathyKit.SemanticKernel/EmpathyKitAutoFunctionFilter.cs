using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// For a Kernel whose chat service is a model and that lets it call plugins: refuses every call while the conversation's
/// last user turn is at moderate risk or above (a check-in turn runs no tools), gives a tool the user's values in place
/// of the placeholders the model saw, and redacts its result before it goes back to the model.
/// </summary>
internal sealed class EmpathyKitAutoFunctionFilter(KernelSafety safety) : IAutoFunctionInvocationFilter
{
    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        List<string> turns = [.. context.ChatHistory.Where(m => m.Role == AuthorRole.User).Select(m => m.Content ?? string.Empty)];
        CrisisAssessment assessment = await safety.AssessAsync(turns, context.CancellationToken).ConfigureAwait(false);
        if (assessment.Level >= RiskLevel.Moderate)
        {
            context.Result = new FunctionResult(context.Function, KernelToolFilter.Refused);
            context.Terminate = true;
            KernelFilterTelemetry.Count("tool_refused");
            return;
        }

        string conversation = KernelSafety.Current?.Conversation ?? KernelSafety.Named(context.Arguments) ?? string.Empty;
        if (await KernelToolFilter.InvokeWithValuesAsync(context, next, safety.Redactor, conversation).ConfigureAwait(false) is not null)
        {
            KernelFilterTelemetry.Count("tool_result_redacted");
        }
    }
}
