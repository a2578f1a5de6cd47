using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the empathy scorer the output guard reports with.</summary>
public static class EmpathyBuilderExtensions
{
    /// <summary>Uses an empathy scorer in place of the built-in one (EPITOME rules).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the scorer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseEmpathyScorer(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEmpathyScorer> factory) => builder.ReplaceKeyed(factory);
}
