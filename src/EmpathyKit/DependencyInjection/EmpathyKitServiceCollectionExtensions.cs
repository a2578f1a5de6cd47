using EmpathyKit;
using EmpathyKit.Chat;
using EmpathyKit.Crisis;
using EmpathyKit.Disclaimers;
using EmpathyKit.Empathy;
using EmpathyKit.Guard;
using EmpathyKit.Pii;
using EmpathyKit.Sentiment;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EmpathyKitBuilder = EmpathyKit.DependencyInjection.EmpathyKitBuilder;
using EmpathyKitBuilderServices = EmpathyKit.DependencyInjection.EmpathyKitBuilderServices;
using PipelineFactory = EmpathyKit.DependencyInjection.PipelineFactory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EmpathyKit pipelines.</summary>
public static class EmpathyKitServiceCollectionExtensions
{
    /// <summary>The name of the pipeline registered when no name is given.</summary>
    public const string DefaultName = "EmpathyKit";

    /// <summary>Adds the default EmpathyKit pipeline.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options (applied after configuration binding, if any).</param>
    /// <returns>The builder, to choose a provider, a transcript store and a key provider.</returns>
    public static IEmpathyKitBuilder AddEmpathyKit(this IServiceCollection services, Action<EmpathyKitOptions>? configure = null) =>
        services.AddEmpathyKit(DefaultName, configure);

    /// <summary>Adds the default EmpathyKit pipeline with options bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>EmpathyKit</c> configuration section.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEmpathyKit(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEmpathyKit(DefaultName, configuration);

    /// <summary>Adds a named EmpathyKit pipeline with options bound from configuration (one section per pipeline).</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="configuration">The pipeline's configuration section.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEmpathyKit(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IEmpathyKitBuilder builder = services.AddEmpathyKit(name, (Action<EmpathyKitOptions>?)null);
        services.AddOptions<EmpathyKitOptions>(name).Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Adds a named EmpathyKit pipeline. Its <see cref="IChatClient"/>, <see cref="ISupportChat"/> and engines are keyed
    /// services under <paramref name="name"/>, so several pipelines (and the host's own chat clients) live side by side.
    /// The first pipeline added is also registered as the unkeyed <see cref="ISupportChat"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEmpathyKit(this IServiceCollection services, string name, Action<EmpathyKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (services.Any(d => d.ServiceType == typeof(EmpathyKitBuilder) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"An EmpathyKit pipeline named '{name}' is already registered.");
        }

        var builder = new EmpathyKitBuilder(services, name);
        services.AddKeyedSingleton(name, builder);

        OptionsBuilder<EmpathyKitOptions> options = services.AddOptions<EmpathyKitOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmpathyKitOptions>, EmpathyKitOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmpathyKitOptions>, EmpathyKitOptionsRules>());
        services.TryAddSingleton(TimeProvider.System);

        // One registration per feature, each in the feature's folder; the engines come from BuiltInEngines, as in the CLI
        // and the benchmarks. The crisis directory comes first: PII redaction and the disclaimers read it.
        CrisisRegistration.Add(services, name);
        SentimentRegistration.Add(services, name);
        PiiRegistration.Add(services, name);
        GuardRegistration.Add(services, name);
        EmpathyRegistration.Add(services, name);
        DisclaimerRegistration.Add(services, name);
        EscalationRegistration.Add(services, name);
        HandoffRegistration.Add(services, name);
        TranscriptRegistration.Add(services, name);

        services.AddKeyedSingleton<IChatClient>(name, (sp, key) => PipelineFactory.Create(sp, sp.GetRequiredKeyedService<EmpathyKitBuilder>(key)));
        services.AddKeyedSingleton<ISupportChat>(name, (sp, key) => new SupportChat(
            sp.GetRequiredKeyedService<IChatClient>(key),
            sp.GetRequiredKeyedService<ITranscriptLog>(key),
            EmpathyKitBuilderServices.OptionsOf(sp, key),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("EmpathyKit.SupportChat")));
        services.TryAddSingleton<ISupportChat>(sp => sp.GetRequiredKeyedService<ISupportChat>(name));
        services.TryAddSingleton<ITranscriptManager>(sp => sp.GetRequiredKeyedService<ITranscriptManager>(name));
        return builder;
    }
}
