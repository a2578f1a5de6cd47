namespace EmpathyKit;

/// <summary>
/// Told when an escalation nobody acknowledged in time is raised again, so the host can show the user the crisis lines
/// again (a web host pushes them to the chat page). Registered with <c>AddEscalationObserver</c>; a failing observer is
/// logged and the others still run.
/// </summary>
public interface IEscalationObserver
{
    /// <summary>Called once for each re-raise, from the outbox's worker.</summary>
    /// <param name="escalation">The escalation as it is now (its <see cref="EscalationEntry.ReRaises"/> counts this one).</param>
    /// <param name="cancellationToken">Cancelled when the worker stops.</param>
    /// <returns>A task that completes when the observer is done.</returns>
    ValueTask OnReRaisedAsync(EscalationEntry escalation, CancellationToken cancellationToken = default);
}
