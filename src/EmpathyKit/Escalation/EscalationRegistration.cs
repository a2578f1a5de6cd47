using EmpathyKit.Transcripts;
using EmpathyKit.DependencyInjection;
using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Pipeline;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit;

/// <summary>
/// Registers escalation: the built-in logging handler (the host's handlers are added beside it), the durable outbox in
/// the transcripts' database (or the host's store), its delivery worker (also a hosted service) and the outbox API.
/// </summary>
internal static class EscalationRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton(name, (sp, _) => new LoggingEscalationHandler(Loggers(sp).CreateLogger<LoggingEscalationHandler>()));
        services.AddKeyedSingleton<IEscalationHandler>(name, (sp, key) => sp.GetRequiredKeyedService<LoggingEscalationHandler>(key));
        services.TryAddKeyedSingleton<IEscalationStore>(name, (sp, key) =>
        {
            if (sp.GetRequiredKeyedService<ITranscriptStore>(key) is IEscalationStoreSource source)
            {
                return source.GetEscalationStore();
            }

            Log.EscalationOutboxInMemory(Loggers(sp).CreateLogger("EmpathyKit.Escalation"), (string)key!);
            return new InMemoryEscalationStore();
        });
        services.TryAddKeyedSingleton(name, (sp, key) => new EscalationDeliveryWorker(
            sp.GetRequiredKeyedService<IEscalationStore>(key),
            EscalationChannel.From(sp.GetKeyedServices<IEscalationHandler>(key)),
            EmpathyKitBuilderServices.OptionsOf(sp, key).Escalations,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            Loggers(sp).CreateLogger("EmpathyKit.Escalation"),
            EscalationChannel.From(sp.GetKeyedServices<EscalationFallback>(key).Select(f => f.Handler), "fallback:"),
            [.. sp.GetKeyedServices<IEscalationObserver>(key)]));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<EscalationDeliveryWorker>(name));
        services.TryAddKeyedSingleton(name, (sp, key) => new EscalationRaiser(
            sp.GetRequiredKeyedService<EscalationDeliveryWorker>(key),
            sp.GetKeyedServices<IEscalationHandler>(key),
            EmpathyKitBuilderServices.OptionsOf(sp, key).Escalations.WaitForDelivery,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            Loggers(sp).CreateLogger("EmpathyKit.Escalation")));
        services.TryAddKeyedSingleton<IEscalationOutbox>(name, (sp, key) => new EscalationOutbox(
            sp.GetRequiredKeyedService<IEscalationStore>(key), sp.GetService<TimeProvider>() ?? TimeProvider.System, () => sp.GetKeyedService<TranscriptVault>(key)));
        services.TryAddKeyedSingleton<IEmpathyKitHealth>(name, (sp, key) =>
        {
            EscalationDeliveryWorker worker = sp.GetRequiredKeyedService<EscalationDeliveryWorker>(key);
            worker.EnsureStarted();
            return new EmpathyKitHealth(sp.GetRequiredKeyedService<ITranscriptStore>(key), worker);
        });
        services.TryAddSingleton<IEmpathyKitHealth>(sp => sp.GetRequiredKeyedService<IEmpathyKitHealth>(name));
    }

    private static ILoggerFactory Loggers(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
