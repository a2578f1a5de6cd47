using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmpathyKit.Crisis;

/// <summary>Registers crisis detection's built-in services: the directory of crisis lines and the detector.</summary>
internal static class CrisisRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton(name, (_, _) => CrisisDirectory.Default);
        services.TryAddKeyedSingleton<ICrisisDetector>(name, (_, _) => BuiltInEngines.CrisisDetector());
    }
}
