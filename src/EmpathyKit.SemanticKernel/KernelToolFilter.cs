using EmpathyKit.Pii;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// Runs a plugin the model called on a support turn by the pipeline's rules: its arguments get the user's values back
/// (the model only saw placeholders), its result is redacted before it goes back to the model, and at or above
/// moderate risk no plugin runs at all (the responder does not offer them then; this is the second line).
/// </summary>
internal sealed class KernelToolFilter(IPiiRedactor redactor, TurnReport report) : IAutoFunctionInvocationFilter
{
    /// <summary>What the model is told when a plugin is refused.</summary>
    internal const string Refused = "This tool is not available in this conversation right now.";

    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string conversation = report.ConversationId ?? string.Empty;
        if ((report.Crisis?.Level ?? RiskLevel.None) >= RiskLevel.Moderate)
        {
            context.Result = new FunctionResult(context.Function, Refused);
            context.Terminate = true;
            report.Annotations["empathykit.semantic_kernel.tools_refused"] = true;
            return;
        }

        RedactionResult? redacted = await InvokeWithValuesAsync(context, next, redactor, conversation).ConfigureAwait(false);
        if (redacted is not null)
        {
            // The model may repeat these placeholders: they are the redactor's own, so the guard must not take them for a leak.
            lock (report)
            {
                PiiPlaceholders.Collect(redactor.PlaceholderFormat, redacted.RedactedText, report.PlaceholdersGiven ??= new HashSet<string>(StringComparer.Ordinal));
            }
        }
    }

    /// <summary>
    /// Runs a tool the model called with the user's values in place of the placeholders in its string arguments, then
    /// redacts its result for the model; returns the redaction, or <see langword="null"/> when the tool gave no text.
    /// </summary>
    internal static async Task<RedactionResult?> InvokeWithValuesAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next, IPiiRedactor redactor, string conversation)
    {
        if (context.Arguments is { } arguments)
        {
            foreach (string name in arguments.Names.ToArray())
            {
                if (arguments[name] is string value)
                {
                    arguments[name] = redactor.Rehydrate(conversation, value);
                }
            }
        }

        await next(context).ConfigureAwait(false);
        if (context.Result.GetValue<object>()?.ToString() is not { Length: > 0 } text)
        {
            return null;
        }

        RedactionResult redacted = await redactor.RedactAsync(conversation, text, context.CancellationToken).ConfigureAwait(false);
        context.Result = new FunctionResult(context.Result, redacted.RedactedText);
        return redacted;
    }
}
