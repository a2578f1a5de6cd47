namespace EmpathyKit;

/// <summary>Alerts humans when a turn's risk reaches the escalation level.</summary>
/// <remarks>
/// Every registered handler is called; a handler that throws is logged and counted, and the others still run.
/// Handlers receive no message text.
/// </remarks>
public interface IEscalationHandler
{
    /// <summary>Dispatches one escalation.</summary>
    /// <param name="escalation">The escalation.</param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>A task that completes when the escalation was handed over.</returns>
    ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default);
}
