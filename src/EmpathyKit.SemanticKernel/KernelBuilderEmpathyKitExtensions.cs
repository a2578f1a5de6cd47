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
}
