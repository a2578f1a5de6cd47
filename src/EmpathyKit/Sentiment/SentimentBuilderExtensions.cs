using EmpathyKit;
using EmpathyKit.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the sentiment analyzer.</summary>
public static class SentimentBuilderExtensions
{
    /// <summary>Uses a sentiment analyzer in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the analyzer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseSentimentAnalyzer(this IEmpathyKitBuilder builder, Func<IServiceProvider, ISentimentAnalyzer> factory) => builder.ReplaceKeyed(factory);
}
