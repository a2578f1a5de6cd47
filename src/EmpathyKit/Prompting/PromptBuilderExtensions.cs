using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the system prompt.</summary>
public static class PromptBuilderExtensions
{
    /// <summary>Configures the system prompt (persona, the host's instructions): <see cref="EmpathyKitOptions.Prompt"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigurePrompt(this IEmpathyKitBuilder builder, Action<PromptOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Prompt));
    }
}
