using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmpathyKit.Pii;

/// <summary>Registers PII redaction's built-in services: the detector (with the host's recognizers) and the redactor (with the host's additional detectors).</summary>
internal static class PiiRegistration
{
    /// <summary>Adds the feature's built-in services for the pipeline named <paramref name="name"/>; a service the host chose first is kept.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The pipeline's name (the services' key).</param>
    public static void Add(IServiceCollection services, string name)
    {
        services.TryAddKeyedSingleton<IPiiDetector>(name, (sp, key) =>
            BuiltInEngines.PiiDetector(EmpathyKitBuilderServices.OptionsOf(sp, key).Pii, sp.GetRequiredKeyedService<CrisisDirectory>(key), sp.GetKeyedServices<IPiiRecognizer>(key)));
        services.TryAddKeyedSingleton<IPiiRedactor>(name, (sp, key) => BuiltInEngines.PiiRedactor(
            sp.GetRequiredKeyedService<IPiiDetector>(key),
            EmpathyKitBuilderServices.OptionsOf(sp, key).Pii,
            sp.GetRequiredService<TimeProvider>(),
            [.. sp.GetKeyedServices<AdditionalPiiDetector>(key).Select(a => a.Detector)]));
    }
}
