using EmpathyKit;
using EmpathyKit.DependencyInjection;
using EmpathyKit.Responders;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the built-in offline responder as a pipeline's provider.</summary>
public static class ResponderBuilderExtensions
{
    /// <summary>Uses the built-in offline responder, which needs no model or network.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The offline responder is not a model, so it is not asked for a crisis second opinion.</remarks>
    public static IEmpathyKitBuilder UseOfflineResponder(this IEmpathyKitBuilder builder)
    {
        EmpathyKitBuilder internalBuilder = EmpathyKitBuilderServices.Internal(builder);
        internalBuilder.ProviderFactory = _ => new OfflineResponder();
        internalBuilder.ProviderIsModel = false;
        return builder;
    }
}
