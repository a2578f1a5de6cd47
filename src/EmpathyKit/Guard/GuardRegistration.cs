using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmpathyKit.Guard;

/// <summary>Registers the built-in output guard.</summary>
internal static class GuardRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<IOutputGuard>(name, (sp, key) => BuiltInEngines.OutputGuard(EmpathyKitBuilderServices.OptionsOf(sp, key).Guard));
    }
}
