using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmpathyKit.Sentiment;

/// <summary>Registers the built-in sentiment analyzer.</summary>
internal static class SentimentRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<ISentimentAnalyzer>(name, (_, _) => BuiltInEngines.SentimentAnalyzer());
    }
}
