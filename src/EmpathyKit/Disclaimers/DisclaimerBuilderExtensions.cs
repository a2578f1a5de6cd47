using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the disclaimers: options and the policy.</summary>
public static class DisclaimerBuilderExtensions
{
    /// <summary>Configures the disclaimer policy: <see cref="EmpathyKitOptions.Disclaimers"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureDisclaimers(this IEmpathyKitBuilder builder, Action<DisclaimerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Disclaimers));
    }

    /// <summary>Uses a disclaimer policy in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the policy.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseDisclaimerPolicy(this IEmpathyKitBuilder builder, Func<IServiceProvider, IDisclaimerPolicy> factory) => builder.ReplaceKeyed(factory);
}
