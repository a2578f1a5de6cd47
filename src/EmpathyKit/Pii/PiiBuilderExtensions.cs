using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures PII detection and redaction: options, detectors, recognizers and the redactor.</summary>
public static class PiiBuilderExtensions
{
    /// <summary>Configures PII detection and redaction: <see cref="EmpathyKitOptions.Pii"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigurePiiRedaction(this IEmpathyKitBuilder builder, Action<PiiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Pii));
    }

    /// <summary>Uses a PII detector in place of the built-in one (the redactor numbers what it finds).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UsePiiDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiDetector> factory) => builder.ReplaceKeyed(factory);

    /// <summary>Adds a PII recognizer (for example a patient-id format) that runs beside the built-in ones.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the recognizer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddPiiRecognizer(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiRecognizer> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>
    /// Adds a detector that runs beside the built-in one, for example a client of an external NER service; its
    /// entities are merged in. If it throws or exceeds <see cref="PiiOptions.ExternalDetectorTimeout"/>, redaction fails
    /// closed and the message does not leave the process.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddPiiDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => new EmpathyKit.Pii.AdditionalPiiDetector(factory(sp)));
        return builder;
    }

    /// <summary>Uses a PII redactor in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the redactor.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UsePiiRedactor(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiRedactor> factory) => builder.ReplaceKeyed(factory);
}
