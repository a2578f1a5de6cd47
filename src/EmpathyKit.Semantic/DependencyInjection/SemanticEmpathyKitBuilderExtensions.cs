using EmpathyKit;
using EmpathyKit.Semantic;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers semantic crisis detection on an EmpathyKit pipeline.</summary>
public static class SemanticEmpathyKitBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="SemanticCrisisDetector"/> as the pipeline's crisis detector: the built-in construct detector, raised by
    /// the semantic model over sentence embeddings of the message and the earlier user turns (which can also lower a rule's
    /// high finding to moderate, a check-in, when it finds it very unlikely and the finding allows it). The
    /// encoder and model are loaded once per process, when the first pipeline that uses them is built (about a second).
    /// A failure of the detector is handled like any detector's: the crisis stage treats the turn as high risk.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseSemanticCrisisDetection(this IEmpathyKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseCrisisDetector(_ => SemanticCrisisDetector.Default);
    }
}
