namespace EmpathyKit;

/// <summary>One of a pipeline's escalation handlers as the outbox names it.</summary>
/// <param name="Name">The channel's name: the handler's type name, with <c>#2</c>, <c>#3</c> … for later handlers of the same type.</param>
/// <param name="Handler">The handler.</param>
internal sealed record EscalationChannel(string Name, IEscalationHandler Handler)
{
    /// <summary>
    /// Names the handlers that deliver to people. The built-in <see cref="LoggingEscalationHandler"/> is not one: it
    /// logs (and raises its event) when an escalation is raised, and never counts as a delivery.
    /// </summary>
    /// <param name="handlers">The pipeline's handlers, in registration order.</param>
    /// <param name="prefix">Put before each name: <c>fallback:</c> for the handlers only re-raises go to.</param>
    /// <returns>The channels.</returns>
    public static IReadOnlyList<EscalationChannel> From(IEnumerable<IEscalationHandler> handlers, string prefix = "")
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var channels = new List<EscalationChannel>();
        foreach (IEscalationHandler handler in handlers)
        {
            if (handler is LoggingEscalationHandler)
            {
                continue;
            }

            string type = handler.GetType().Name;
            int n = seen[type] = seen.GetValueOrDefault(type) + 1;
            channels.Add(new EscalationChannel(prefix + (n == 1 ? type : $"{type}#{n}"), handler));
        }

        return channels;
    }
}

/// <summary>A handler that only re-raises go to (a pager, a second team), registered with <c>AddEscalationFallback</c>.</summary>
/// <param name="Handler">The handler.</param>
internal sealed record EscalationFallback(IEscalationHandler Handler);
