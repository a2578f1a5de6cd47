namespace EmpathyKit.Tests.Infrastructure;

/// <summary>An escalation handler that keeps the events it is given (thread-safe).</summary>
internal sealed class RecordingEscalationHandler(List<EscalationEvent> received) : IEscalationHandler
{
    public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
    {
        lock (received)
        {
            received.Add(escalation);
        }

        return ValueTask.CompletedTask;
    }
}
