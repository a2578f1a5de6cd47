using EmpathyKit;
using EmpathyKit.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.SemanticKernel;

/// <summary>Adds EmpathyKit to a Semantic Kernel app.</summary>
public static class KernelBuilderEmpathyKitExtensions
{
    /// <summary>
    /// Adds an EmpathyKit pipeline as the Kernel's chat service (<see cref="IChatCompletionService"/> and
    /// <see cref="IChatClient"/>): every prompt the Kernel sends to it passes crisis detection, redaction, the output guard,
    /// the disclaimers and the transcript. A call names its conversation with <see cref="EmpathyKitKernel.ConversationIdKey"/>
    /// in the execution settings (<see cref="EmpathyKitKernel.ForConversation"/>) or in the <see cref="KernelArguments"/>;
    /// the reply's <see cref="ChatMessageContent"/> carries the turn report (<see cref="EmpathyKitKernel.GetTurnReport(ChatMessageContent)"/>).
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Chooses the pipeline's provider, store and keys, as with <c>services.AddEmpathyKit()</c>.</param>
    /// <param name="serviceId">The Kernel service id of the chat service; <see langword="null"/>: the default service.</param>
    /// <param name="name">The EmpathyKit pipeline's name (its keyed services and options).</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddEmpathyKit(this IKernelBuilder builder, Action<IEmpathyKitBuilder> configure, string? serviceId = null, string name = EmpathyKitServiceCollectionExtensions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Services.AddEmpathyKit(name));

        IChatClient Client(IServiceProvider sp) => new KernelConversationClient(sp.GetRequiredKeyedService<IChatClient>(name));
        if (serviceId is null)
        {
            builder.Services.AddSingleton(Client);
            builder.Services.AddSingleton(sp => sp.GetRequiredService<IChatClient>().AsChatCompletionService(sp));
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceId, (sp, _) => Client(sp));
            builder.Services.AddKeyedSingleton(serviceId, (sp, key) => sp.GetRequiredKeyedService<IChatClient>(key).AsChatCompletionService(sp));
        }

        builder.Services.AddSingleton<IFunctionInvocationFilter, ConversationArgumentFilter>();
        return builder;
    }

    /// <summary>
    /// Adds EmpathyKit's offline responder as the Kernel's chat service: no model, no keys, no network. It answers with
    /// grammatical reflections and one open question, and does not follow prompts or call plugins, so it suits samples,
    /// tests and development, not production.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="serviceId">The Kernel service id; <see langword="null"/>: the default service.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddEmpathyKitOfflineResponder(this IKernelBuilder builder, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (serviceId is null)
        {
            builder.Services.AddSingleton(sp => new EmpathyKit.Responders.OfflineResponder().AsChatCompletionService(sp));
        }
        else
        {
            builder.Services.AddKeyedSingleton(serviceId, (sp, _) => new EmpathyKit.Responders.OfflineResponder().AsChatCompletionService(sp));
        }

        return builder;
    }

    /// <summary>
    /// Adds EmpathyKit's safety as Semantic Kernel filters, for a Kernel whose chat service is a model rather than the
    /// pipeline (every call that does not pass through the pipeline): a prompt render filter that assesses the rendered
    /// prompt's user text for crisis (at the short-circuit level: the crisis reply instead of the model, and the
    /// escalation) and redacts its PII before the model; a function filter that runs the output guard on a completed
    /// result and puts the user's values back; an auto function invocation filter that refuses tool calls from moderate
    /// risk and redacts tool results before the model. They use the engines and options of the EmpathyKit pipeline
    /// named <paramref name="name"/>, which is added (and <paramref name="configure"/> called) when it is not registered yet.
    /// Streamed results are guarded and rehydrated too, and a streamed crisis prompt gets the crisis reply without a model call.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Configures the pipeline when this call adds it (its engines, options, escalation handlers).</param>
    /// <param name="name">The EmpathyKit pipeline whose engines and options the filters use.</param>
    /// <returns>The kernel builder.</returns>
    public static IKernelBuilder AddEmpathyKitFilters(this IKernelBuilder builder, Action<IEmpathyKitBuilder>? configure = null, string name = EmpathyKitServiceCollectionExtensions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(EmpathyKit.DependencyInjection.EmpathyKitBuilder) && Equals(d.ServiceKey, name)))
        {
            IEmpathyKitBuilder pipeline = builder.Services.AddEmpathyKit(name);
            configure?.Invoke(pipeline);
        }

        builder.Services.AddKeyedSingleton(name, (sp, key) => new KernelSafety(sp, (string)key!));
        builder.Services.AddSingleton<IPromptRenderFilter>(sp => new EmpathyKitPromptRenderFilter(sp.GetRequiredKeyedService<KernelSafety>(name)));
        builder.Services.AddSingleton<IFunctionInvocationFilter>(sp => new EmpathyKitFunctionFilter(sp.GetRequiredKeyedService<KernelSafety>(name)));
        builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(sp => new EmpathyKitAutoFunctionFilter(sp.GetRequiredKeyedService<KernelSafety>(name)));
        return builder;
    }
}
