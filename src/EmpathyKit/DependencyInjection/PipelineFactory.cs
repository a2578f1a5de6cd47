using EmpathyKit.Crisis;
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
/// transcript → escalation → crisis → input limits → sentiment → redaction → output guard → disclaimer → system prompt → provider,
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
        IChatClient client = provider;
        IChatClient Slot(IChatClient inner, StageSlot slot)
        {
            foreach ((StageSlot s, Func<IChatClient, IServiceProvider, IChatClient> factory) in builder.CustomStages)
            {
                if (s == slot)
                {
                    inner = factory(inner, services) ?? throw new InvalidOperationException($"A custom stage factory for slot {slot} returned null.");
                }
            }

            return inner;
        }

        CrisisDirectory directory = services.GetRequiredKeyedService<CrisisDirectory>(name);
        IPiiRedactor redactor = services.GetRequiredKeyedService<IPiiRedactor>(name);

        client = Slot(client, StageSlot.BeforeProvider);
        client = new SystemPromptStage(client, options.Prompt, options.Guard.AdviceFreeTurns);
        client = new DisclaimerStage(client, services.GetRequiredKeyedService<IDisclaimerPolicy>(name), logger);
        client = Slot(client, StageSlot.AfterOutputGuard);
        client = new OutputGuardStage(
            client,
            services.GetRequiredKeyedService<IOutputGuard>(name),
            options.Guard.ScoreReplies ? services.GetRequiredKeyedService<IEmpathyScorer>(name) : null,
            logger);
        client = Slot(client, StageSlot.AfterRedaction);
        client = new RedactionStage(client, redactor, logger);
        client = Slot(client, StageSlot.AfterSentiment);
        client = new SentimentStage(client, services.GetRequiredKeyedService<ISentimentAnalyzer>(name), logger);
        client = Slot(client, StageSlot.AfterCrisis);
        client = new InputLimitStage(client, options);
        ICrisisDetector detector = services.GetRequiredKeyedService<ICrisisDetector>(name);
        ICrisisDetector? secondOpinion = services.GetKeyedService<SecondOpinion>(name)?.Detector
            ?? (builder.ProviderIsModel && options.Crisis.ModelSecondOpinion && IsModel(provider)
                ? new ChatClientCrisisDetector(provider, redactor)
                : null);

        client = new CrisisStage(
            client,
            detector,
            secondOpinion is null ? null : new CrisisSecondOpinion(secondOpinion, options.Crisis.SecondOpinionTimeout, time),
            new CrisisReplyBuilder(options.Crisis, directory, options.Country),
            options.Crisis,
            logger);
        client = Slot(client, StageSlot.AfterEscalation);
        client = new EscalationStage(client, services.GetKeyedServices<IEscalationHandler>(name), options.EscalationLevel, time, logger);
        client = Slot(client, StageSlot.AfterTranscript);
        client = new TranscriptStage(client, services.GetRequiredKeyedService<ITranscriptLog>(name), redactor, time, options.StoreOriginalText, logger);
        return client;
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
