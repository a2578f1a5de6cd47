using EmpathyKit.DependencyInjection;
using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;
using EmpathyKit.Transcripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit;

/// <summary>
/// Registers human hand-over: the control store (the escalation store's own, or in memory), the in-process feeds, the
/// user-side notices and the operator console.
/// </summary>
internal static class HandoffRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<IConversationControlStore>(name, (sp, key) =>
        {
            if (sp.GetRequiredKeyedService<IEscalationStore>(key) is IConversationControlStore store)
            {
                return store;
            }

            Log.ControlStoreInMemory(Loggers(sp).CreateLogger("EmpathyKit.Handoff"), (string)key!);
            return new InMemoryEscalationStore();
        });
        services.TryAddKeyedSingleton(name, (_, _) => new HandoffHub());
        services.TryAddKeyedSingleton<IConversationNotices>(name, (sp, key) => sp.GetRequiredKeyedService<HandoffHub>(key));
        services.TryAddKeyedSingleton<IOperatorConsole>(name, (sp, key) => new OperatorConsole(
            sp.GetRequiredKeyedService<IConversationControlStore>(key),
            sp.GetRequiredKeyedService<IEscalationStore>(key),
            sp.GetRequiredKeyedService<ITranscriptLog>(key) as TranscriptVault
                ?? throw new InvalidOperationException($"The operator console of the EmpathyKit pipeline '{key}' reads and writes the pipeline's own encrypted transcripts; a host-supplied ITranscriptLog cannot be used with it."),
            sp.GetRequiredKeyedService<IPiiRedactor>(key),
            sp.GetRequiredKeyedService<HandoffHub>(key),
            EmpathyKitBuilderServices.OptionsOf(sp, key),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            Loggers(sp).CreateLogger("EmpathyKit.Handoff")));
        services.TryAddSingleton<IOperatorConsole>(sp => sp.GetRequiredKeyedService<IOperatorConsole>(name));
        services.TryAddSingleton<IConversationNotices>(sp => sp.GetRequiredKeyedService<IConversationNotices>(name));
    }

    private static ILoggerFactory Loggers(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
