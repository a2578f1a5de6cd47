using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the output guard: options and the guard.</summary>
public static class GuardBuilderExtensions
{
    /// <summary>Configures the output guard and the empathy score: <see cref="EmpathyKitOptions.Guard"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureOutputGuard(this IEmpathyKitBuilder builder, Action<GuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Guard));
    }

    /// <summary>Uses an output guard in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the guard.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseOutputGuard(this IEmpathyKitBuilder builder, Func<IServiceProvider, IOutputGuard> factory) => builder.ReplaceKeyed(factory);
}
