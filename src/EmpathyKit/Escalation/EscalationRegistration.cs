using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit;

/// <summary>Registers the built-in escalation handler, which logs each escalation (no content); the host's handlers are added beside it.</summary>
internal static class EscalationRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton(name, (sp, _) => new LoggingEscalationHandler(
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<LoggingEscalationHandler>()));
        services.AddKeyedSingleton<IEscalationHandler>(name, (sp, key) => sp.GetRequiredKeyedService<LoggingEscalationHandler>(key));
    }
}
