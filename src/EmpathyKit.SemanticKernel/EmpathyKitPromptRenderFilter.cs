using EmpathyKit.Pipeline;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// For a Kernel whose chat service is a model, not the pipeline: after a prompt is rendered, assesses its user text for
/// crisis and, at or above <see cref="CrisisOptions.ShortCircuitLevel"/>, answers with the crisis reply instead of calling
/// the model and raises the escalation (at or above <see cref="EmpathyKitOptions.EscalationLevel"/>); otherwise redacts
/// the rendered prompt's PII before the model sees it. Fails safe (a detector that throws is high risk) and closed (a
/// redaction that throws gives the safe reply, and nothing is sent). In a streamed invocation, where Semantic Kernel
/// ignores this filter's result, it stops the call with <see cref="KernelShortCircuitException"/>, which the function
/// filter turns into the streamed reply.
/// </summary>
internal sealed class EmpathyKitPromptRenderFilter(KernelSafety safety) : IPromptRenderFilter
{
    /// <summary>The metadata key that marks a crisis reply made by this filter (the function filter does not guard it).</summary>
    internal const string CrisisKey = "EmpathyKit.CrisisAssessment";

    /// <inheritdoc />
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        if (context.RenderedPrompt is not { Length: > 0 } rendered || context.Result is not null)
        {
            return;
        }

        KernelSafety.CallState? call = KernelSafety.Current;
        string conversation = KernelSafety.ConversationOf(context.Arguments);
        CrisisAssessment assessment = await safety.AssessAsync(KernelSafety.UserTurns(rendered), context.CancellationToken).ConfigureAwait(false);
        if (call is not null)
        {
            call.Risk = assessment.Level;
        }

        if (assessment.Level >= safety.Options.Crisis.ShortCircuitLevel)
        {
            string reply = safety.Replies.Build(assessment);
            KernelFilterTelemetry.Count("short_circuited");
            if (assessment.Level >= safety.Options.EscalationLevel)
            {
                await safety.EscalateAsync(conversation, assessment).ConfigureAwait(false);
            }

            // Streaming ignores a result set here and calls the model: stop the call instead (the function filter streams the reply).
            if (context.IsStreaming)
            {
                throw new KernelShortCircuitException(KernelShortCircuitException.Explanation) { Reply = reply, Assessment = assessment };
            }

            context.Result = new FunctionResult(context.Function, reply, metadata: new Dictionary<string, object?> { [CrisisKey] = assessment });
            return;
        }

        try
        {
            RedactionResult redacted = await safety.Redactor.RedactAsync(conversation, rendered, context.CancellationToken).ConfigureAwait(false);
            context.RenderedPrompt = redacted.RedactedText;
            if (redacted.Entities.Count > 0)
            {
                KernelFilterTelemetry.Count("redacted");
            }
        }
#pragma warning disable CA1031 // Fail closed: nothing unredacted leaves the process.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            KernelFilterTelemetry.Count("failed_closed");
            if (context.IsStreaming)
            {
                throw new KernelShortCircuitException(KernelShortCircuitException.Explanation, ex) { Reply = GuardStage.SafeReply };
            }

            context.Result = new FunctionResult(context.Function, GuardStage.SafeReply);
        }
    }
}
