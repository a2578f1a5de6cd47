using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit;

/// <summary>Uses an OpenAI-compatible model as an EmpathyKit pipeline's provider.</summary>
public static class OpenAIEmpathyKitBuilderExtensions
{
    /// <summary>
    /// Uses a model served by OpenAI, Azure OpenAI (v1 endpoint) or an OpenAI-compatible server as the provider. The
    /// options are checked when the pipeline is first built; a missing model or key fails then, with a clear message.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the model, endpoint, key and limits.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Like any provider set with <c>UseChatClient</c>, the model is also asked by default for a redacted second opinion on
    /// crisis risk, beside the reply (one more, small request on turns below the short-circuit level); set
    /// <c>EmpathyKit:Crisis:ModelSecondOpinion</c> to <see langword="false"/> to turn it off.
    /// </remarks>
    public static IEmpathyKitBuilder UseOpenAI(this IEmpathyKitBuilder builder, Action<OpenAIProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new OpenAIProviderOptions();
        configure(options);
        return builder.UseChatClient(_ => new OpenAICompatibleChatClient(options));
    }
}
