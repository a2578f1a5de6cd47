using EmpathyKit.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>Calls handlers directly, once each: the built-in logging handler when an escalation is raised, and every channel when the outbox cannot be written.</summary>
internal static class EscalationDispatch
{
    /// <summary>
    /// Calls every handler with the event. A handler that throws is logged (its type and the exception's, never content)
    /// and the others still run; the call is not cancelled with the turn, so a user closing the chat does not stop the
    /// alert.
    /// </summary>
    /// <param name="handlers">The handlers.</param>
    /// <param name="escalation">The event.</param>
    /// <param name="logger">Where handler failures are logged.</param>
    /// <param name="count">Count the escalation's outcome (alerted or undelivered): when this call is its only delivery.</param>
    /// <returns>What happened: delivered when a handler accepted it, undelivered otherwise.</returns>
    public static async ValueTask<EscalationRecord> RaiseAsync(IReadOnlyList<IEscalationHandler> handlers, EscalationEvent escalation, ILogger logger, bool count)
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

        if (count)
        {
            EmpathyKitTelemetry.Escalations.Add(1, new KeyValuePair<string, object?>("outcome", succeeded > 0 ? "alerted" : "undelivered"));
        }

        return new EscalationRecord(escalation.EscalationId, succeeded > 0 ? EscalationStatus.Delivered : EscalationStatus.Undelivered, succeeded, failed);
    }
}
