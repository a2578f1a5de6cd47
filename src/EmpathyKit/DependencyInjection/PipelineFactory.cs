using EmpathyKit.Crisis;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;
using EmpathyKit.Pipeline;
using EmpathyKit.Responders;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmpathyKit.DependencyInjection;

/// <summary>
/// Composes a pipeline in the fixed, safe order, whatever order the host registered things in:
/// transcript → control → escalation → crisis → input limits → sentiment → redaction → output guard → disclaimer → system prompt → provider,
/// with each custom stage inside the built-in stage its slot names.
/// </summary>
internal static class PipelineFactory
{
    public static IChatClient Create(IServiceProvider services, EmpathyKitBuilder builder)
    {
        string name = builder.Name;
        EmpathyKitOptions options = services.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>().Get(name);
        ILoggerFactory loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        ILogger logger = loggers.CreateLogger("EmpathyKit.Pipeline");
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;

        if (builder.ProviderFactory is null)
        {
            throw new InvalidOperationException(
                $"The EmpathyKit pipeline '{name}' has no provider. Call UseOfflineResponder() for the built-in responder that needs no model, or UseChatClient(...) to use a model.");
        }

        IChatClient provider = builder.ProviderFactory(services);
        CrisisDirectory directory = services.GetRequiredKeyedService<CrisisDirectory>(name);
        IPiiRedactor redactor = services.GetRequiredKeyedService<IPiiRedactor>(name);
        // How the redactor's placeholders look: rehydration, the guard's leak check and the prompt's example follow it.
        PiiPlaceholderFormat placeholders = PiiStage.FormatOf(redactor);
        ICrisisDetector detector = services.GetRequiredKeyedService<ICrisisDetector>(name);
        ICrisisDetector? secondOpinion = services.GetKeyedService<SecondOpinion>(name)?.Detector
            ?? (builder.ProviderIsModel && options.Crisis.ModelSecondOpinion && IsModel(provider)
                ? new ChatClientCrisisDetector(provider, redactor)
                : null);

        // Outermost first, in the order of the table in docs/architecture.md; a slot's custom stages sit just inside the
        // built-in stage it is named after (the one registered last outermost).
        var chain = new ChatClientBuilder(provider);
        void Slot(StageSlot slot)
        {
            foreach ((StageSlot s, Func<IChatClient, IServiceProvider, IChatClient> factory) in Enumerable.Reverse(builder.CustomStages))
            {
                if (s == slot)
                {
                    chain.Use((inner, sp) => factory(inner, sp) ?? throw new InvalidOperationException($"A custom stage factory for slot {slot} returned null."));
                }
            }
        }

        chain.Use(inner => new TranscriptStage(inner, services.GetRequiredKeyedService<ITranscriptLog>(name), redactor, time, options.StoreOriginalText, options.MaxHistoryMessages, logger));
        Slot(StageSlot.AfterTranscript);
        chain.Use(inner => new ControlStage(
            inner,
            services.GetRequiredKeyedService<IConversationControlStore>(name),
            services.GetRequiredKeyedService<HandoffHub>(name),
            options.Handoff,
            time,
            loggers.CreateLogger("EmpathyKit.Handoff")));
        chain.Use(inner => new EscalationStage(inner, services.GetRequiredKeyedService<EscalationRaiser>(name), options.EscalationLevel));
        Slot(StageSlot.AfterEscalation);
        chain.Use(inner => new CrisisStage(
            inner,
            detector,
            secondOpinion is null ? null : new CrisisSecondOpinion(secondOpinion, options.Crisis.SecondOpinionTimeout, time),
            new CrisisReplyBuilder(options.Crisis, directory, options.Country),
            options.Crisis,
            logger));
        chain.Use(inner => new InputLimitStage(inner, options));
        Slot(StageSlot.AfterCrisis);
        chain.Use(inner => new SentimentStage(inner, services.GetRequiredKeyedService<ISentimentAnalyzer>(name), logger));
        Slot(StageSlot.AfterSentiment);
        chain.Use(inner => new PiiStage(inner, redactor, logger));
        Slot(StageSlot.AfterRedaction);
        chain.Use(inner => new GuardStage(
            inner,
            services.GetRequiredKeyedService<IOutputGuard>(name),
            options.Guard.ScoreReplies ? services.GetRequiredKeyedService<IEmpathyScorer>(name) : null,
            placeholders,
            logger));
        Slot(StageSlot.AfterOutputGuard);
        chain.Use(inner => new DisclaimerStage(inner, services.GetRequiredKeyedService<IDisclaimerPolicy>(name), logger));
        chain.Use(inner => new PromptStage(inner, options.Prompt, options.Guard.AdviceFreeTurns, placeholders));
        Slot(StageSlot.BeforeProvider);
        return chain.Build(services);
    }

    /// <summary>
    /// Whether the provider can be the default second opinion: the offline responder is not a model, and an EmpathyKit
    /// pipeline used as a provider would run the request through its stages and into its transcript.
    /// </summary>
    private static bool IsModel(IChatClient provider) =>
        provider is not OfflineResponder and not PipelineStage
        && provider.GetService(typeof(OfflineResponder)) is null
        && provider.GetService(typeof(PipelineStage)) is null;
}
