using EmpathyKit.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>Raises one escalation through every handler: the escalation stage's and the Semantic Kernel filters' way.</summary>
internal static class EscalationDispatch
{
    /// <summary>
    /// Calls every handler with the event. A handler that throws is logged (its type and the exception's, never content)
    /// and the others still run; the escalation is not cancelled with the turn, so a user closing the chat does not stop
    /// the alert. Counts the escalation's outcome.
    /// </summary>
    /// <param name="handlers">The handlers.</param>
    /// <param name="escalation">The event.</param>
    /// <param name="logger">Where handler failures are logged.</param>
    /// <returns>What happened, for the turn report.</returns>
    public static async ValueTask<EscalationRecord> RaiseAsync(IReadOnlyList<IEscalationHandler> handlers, EscalationEvent escalation, ILogger logger)
    {
        int succeeded = 0;
        int failed = 0;
        foreach (IEscalationHandler handler in handlers)
        {
            try
            {
                await handler.EscalateAsync(escalation, CancellationToken.None).ConfigureAwait(false);
                succeeded++;
            }
#pragma warning disable CA1031 // One failing handler must not stop the others or fail the turn.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                Log.EscalationHandlerFailed(logger, handler.GetType().Name, escalation.EscalationId, ex.GetType().Name);
            }
        }

        EmpathyKitTelemetry.Escalations.Add(1, new KeyValuePair<string, object?>("outcome", succeeded > 0 ? "alerted" : "undelivered"));
        return new EscalationRecord(escalation.EscalationId, succeeded, failed);
    }
}
