using EmpathyKit;
using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the pipeline's provider, binds its options and adds custom stages; each feature's own extensions are in its folder (<c>CrisisBuilderExtensions</c>, <c>PiiBuilderExtensions</c>, ...).</summary>
public static class EmpathyKitBuilderExtensions
{
    /// <summary>Uses a chat client (a model provider, or anything that implements <see cref="IChatClient"/>) as the provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The same client is also asked, by default, for a second opinion on crisis risk: it is sent the redacted user turns
    /// directly (not through the pipeline, and never into the transcript), concurrently with the reply, and answers with
    /// a small JSON classification (see <see cref="CrisisOptions.ModelSecondOpinion"/>). Set
    /// <c>Crisis:ModelSecondOpinion</c> to <see langword="false"/> to turn it off, or add your own with
    /// <see cref="CrisisBuilderExtensions.AddCrisisSecondOpinion"/>.
    /// </remarks>
    public static IEmpathyKitBuilder UseChatClient(this IEmpathyKitBuilder builder, Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        EmpathyKitBuilder internalBuilder = EmpathyKitBuilderServices.Internal(builder);
        internalBuilder.ProviderFactory = factory;
        internalBuilder.ProviderIsModel = true;
        return builder;
    }

    /// <summary>Uses a chat client instance as the provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="client">The provider.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseChatClient(this IEmpathyKitBuilder builder, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return builder.UseChatClient(_ => client);
    }

    /// <summary>Adds a custom stage in a named slot; stages in the same slot nest in the order added (the first is innermost).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="slot">Where the stage goes.</param>
    /// <param name="factory">Wraps the inner client (typically a <see cref="DelegatingChatClient"/>).</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddStage(this IEmpathyKitBuilder builder, StageSlot slot, Func<IChatClient, IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!Enum.IsDefined(slot))
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Unknown stage slot.");
        }

        EmpathyKitBuilderServices.Internal(builder).CustomStages.Add((slot, factory));
        return builder;
    }

    /// <summary>Configures the pipeline's options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder Configure(this IEmpathyKitBuilder builder, Action<EmpathyKitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<EmpathyKitOptions>(builder.Name).Configure(configure);
        return builder;
    }

    /// <summary>Binds the pipeline's options from a configuration section (for example <c>EmpathyKit</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder Configure(this IEmpathyKitBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<EmpathyKitOptions>(builder.Name).Bind(configuration);
        return builder;
    }
}
