using EmpathyKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpathyKit.DependencyInjection;

/// <summary>What the features' builder extensions and registrations share.</summary>
internal static class EmpathyKitBuilderServices
{
    /// <summary>Replaces the pipeline's keyed service of type <typeparamref name="T"/> with one made by <paramref name="factory"/>.</summary>
    public static IEmpathyKitBuilder ReplaceKeyed<T>(this IEmpathyKitBuilder builder, Func<IServiceProvider, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        for (int i = builder.Services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = builder.Services[i];
            if (descriptor.ServiceType == typeof(T) && descriptor.IsKeyedService && Equals(descriptor.ServiceKey, builder.Name))
            {
                builder.Services.RemoveAt(i);
            }
        }

        builder.Services.AddKeyedSingleton<T>(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>The builder behind the public interface; a builder not made by <c>AddEmpathyKit</c> is refused.</summary>
    public static EmpathyKitBuilder Internal(IEmpathyKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder as EmpathyKitBuilder
            ?? throw new ArgumentException("Use the builder returned by AddEmpathyKit.", nameof(builder));
    }

    /// <summary>The named pipeline's options.</summary>
    public static EmpathyKitOptions OptionsOf(IServiceProvider services, object? key) =>
        services.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>().Get((string)key!);
}
