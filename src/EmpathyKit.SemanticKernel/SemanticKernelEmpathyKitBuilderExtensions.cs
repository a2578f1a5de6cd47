using EmpathyKit;
using EmpathyKit.SemanticKernel;
using Microsoft.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a Semantic Kernel the provider of an EmpathyKit pipeline.</summary>
public static class SemanticKernelEmpathyKitBuilderExtensions
{
    /// <summary>
    /// Uses a Kernel as the pipeline's provider. Each support turn renders the responder's prompt template (see
    /// <see cref="KernelResponderOptions.Template"/>; the host edits persona, technique and tone) with the turn's facts
    /// and places it inside EmpathyKit's system prompt, after the safety boundaries, which are restated after it; the
    /// Kernel's chat service then answers, and may call the Kernel's plugins on turns below moderate risk (arguments get
    /// the user's values, results are redacted before the model). As with <c>UseChatClient</c>, the Kernel's chat service
    /// is also asked for the crisis second opinion unless <c>Crisis:ModelSecondOpinion</c> is off.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="kernel">Creates the Kernel (with a chat service, and any plugins). It must not use this pipeline as its chat service.</param>
    /// <param name="configure">Configures the template and plugins.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseSemanticKernel(this IEmpathyKitBuilder builder, Func<IServiceProvider, Kernel> kernel, Action<KernelResponderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kernel);
        var options = new KernelResponderOptions();
        configure?.Invoke(options);
        if (string.IsNullOrWhiteSpace(options.Template))
        {
            throw new ArgumentException("The Kernel responder's template is empty; leave it unset for the default.", nameof(configure));
        }

        string name = builder.Name;
        builder.Services.AddKeyedSingleton(name, (sp, _) => new KernelHolder(kernel(sp), options));
        builder.AddStage(StageSlot.AfterOutputGuard, (inner, sp) =>
        {
            KernelHolder holder = sp.GetRequiredKeyedService<KernelHolder>(name);
            return new KernelTemplateStage(inner, holder.Kernel, holder.Template);
        });
        return builder.UseChatClient(sp => new KernelChatClient(sp.GetRequiredKeyedService<KernelHolder>(name).Kernel, sp.GetRequiredKeyedService<IPiiRedactor>(name), options));
    }

    /// <summary>A pipeline's Kernel and its compiled template, made once.</summary>
    private sealed class KernelHolder
    {
        public KernelHolder(Kernel kernel, KernelResponderOptions options)
        {
            Kernel = kernel ?? throw new InvalidOperationException("The Kernel factory given to UseSemanticKernel returned null.");
            var config = new PromptTemplateConfig(options.Template) { TemplateFormat = options.TemplateFormat };
            IPromptTemplateFactory factory = kernel.Services.GetService<IPromptTemplateFactory>() ?? new KernelPromptTemplateFactory();
            Template = factory.Create(config);
        }

        public Kernel Kernel { get; }

        public IPromptTemplate Template { get; }
    }
}
