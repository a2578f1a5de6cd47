using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit.Transcripts;

/// <summary>Registers the transcript log's built-in services: the SQLite store, the vault over it, and the refusal to start without a key provider.</summary>
internal static class TranscriptRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<ITranscriptStore>(name, (sp, key) =>
            new SqliteTranscriptStore(EmpathyKitBuilderServices.OptionsOf(sp, key).TranscriptDatabasePath ?? EmpathyKitPaths.DefaultTranscriptDatabase));
        services.TryAddKeyedSingleton<ITranscriptKeyProvider>(name, (_, key) => throw new InvalidOperationException(
            $"The EmpathyKit pipeline '{key}' has no transcript key provider. Call UseKeyFile(path) for a key file, UseDevelopmentKey() for a development key, or UseTranscriptKeyProvider(...) for your KMS."));
        services.TryAddKeyedSingleton(name, (sp, key) => new TranscriptVault(
            sp.GetRequiredKeyedService<ITranscriptStore>(key),
            sp.GetRequiredKeyedService<ITranscriptKeyProvider>(key),
            EmpathyKitBuilderServices.OptionsOf(sp, key).Transcripts,
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("EmpathyKit.Transcripts"),
            () => sp.GetKeyedService<IEscalationStore>(key)));
        services.TryAddKeyedSingleton<ITranscriptLog>(name, (sp, key) => sp.GetRequiredKeyedService<TranscriptVault>(key));
        services.TryAddKeyedSingleton<ITranscriptManager>(name, (sp, key) => sp.GetRequiredKeyedService<TranscriptVault>(key));
    }
}
