using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds escalation handlers.</summary>
public static class EscalationBuilderExtensions
{
    /// <summary>Adds an escalation handler; every handler is called when a turn escalates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEscalationHandler(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }
}
