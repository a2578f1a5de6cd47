using EmpathyKit.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmpathyKit;

/// <summary>
/// The built-in escalation handler: raises <see cref="Escalated"/> for the host to alert its people, and logs the
/// escalation's id, level and categories (never message text).
/// </summary>
public sealed class LoggingEscalationHandler : IEscalationHandler
{
    private readonly ILogger<LoggingEscalationHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggingEscalationHandler"/> class.</summary>
    /// <param name="logger">The logger.</param>
    public LoggingEscalationHandler(ILogger<LoggingEscalationHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Raised for every escalation. Handlers run on the turn's path: keep them quick.</summary>
    public event EventHandler<EscalationEvent>? Escalated;

    /// <inheritdoc />
    public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        Log.EscalationRaised(
            _logger,
            escalation.EscalationId,
            escalation.Assessment.Level.ToWireName(),
            string.Join(',', escalation.Assessment.Categories.Select(c => c.ToWireName())));
        Escalated?.Invoke(this, escalation);
        return ValueTask.CompletedTask;
    }
}
