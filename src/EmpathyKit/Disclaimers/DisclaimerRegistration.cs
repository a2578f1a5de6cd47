using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmpathyKit.Disclaimers;

/// <summary>Registers the built-in disclaimer policy.</summary>
internal static class DisclaimerRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<IDisclaimerPolicy>(name, (sp, key) =>
            BuiltInEngines.DisclaimerPolicy(EmpathyKitBuilderServices.OptionsOf(sp, key), sp.GetRequiredKeyedService<CrisisDirectory>(key)));
    }
}
