using EmpathyKit;
using EmpathyKit.Responders;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using EmpathyKitBuilder = EmpathyKit.DependencyInjection.EmpathyKitBuilder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the implementations of a pipeline's slots and adds custom stages.</summary>
public static class EmpathyKitBuilderExtensions
{
    /// <summary>Uses the built-in offline responder, which needs no model or network.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The offline responder is not a model, so it is not asked for a crisis second opinion.</remarks>
    public static IEmpathyKitBuilder UseOfflineResponder(this IEmpathyKitBuilder builder)
    {
        EmpathyKitBuilder internalBuilder = Internal(builder);
        internalBuilder.ProviderFactory = _ => new OfflineResponder();
        internalBuilder.ProviderIsModel = false;
        return builder;
    }

    /// <summary>Uses a chat client (a model provider, or anything that implements <see cref="IChatClient"/>) as the provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The same client is also asked, by default, for a second opinion on crisis risk: it is sent the redacted user turns
    /// directly (not through the pipeline, and never into the transcript), concurrently with the reply, and answers with
    /// a small JSON classification (see <see cref="CrisisOptions.ModelSecondOpinion"/>). Set
    /// <c>Crisis:ModelSecondOpinion</c> to <see langword="false"/> to turn it off, or add your own with
    /// <see cref="AddCrisisSecondOpinion"/>.
    /// </remarks>
    public static IEmpathyKitBuilder UseChatClient(this IEmpathyKitBuilder builder, Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        EmpathyKitBuilder internalBuilder = Internal(builder);
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

        Internal(builder).CustomStages.Add((slot, factory));
        return builder;
    }

    /// <summary>Configures the crisis stage (levels, memory, second opinion, replies): <see cref="EmpathyKitOptions.Crisis"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureCrisisDetection(this IEmpathyKitBuilder builder, Action<CrisisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Crisis));
    }

    /// <summary>Configures PII detection and redaction: <see cref="EmpathyKitOptions.Pii"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigurePiiRedaction(this IEmpathyKitBuilder builder, Action<PiiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Pii));
    }

    /// <summary>Configures the disclaimer policy: <see cref="EmpathyKitOptions.Disclaimers"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureDisclaimers(this IEmpathyKitBuilder builder, Action<DisclaimerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Disclaimers));
    }

    /// <summary>Configures the system prompt (persona, the host's instructions): <see cref="EmpathyKitOptions.Prompt"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigurePrompt(this IEmpathyKitBuilder builder, Action<PromptOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Prompt));
    }

    /// <summary>Configures the output guard and the empathy score: <see cref="EmpathyKitOptions.Guard"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureOutputGuard(this IEmpathyKitBuilder builder, Action<GuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Guard));
    }

    /// <summary>Configures the transcript log (retention, queue, history windows): <see cref="EmpathyKitOptions.Transcripts"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureTranscripts(this IEmpathyKitBuilder builder, Action<TranscriptOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Transcripts));
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

    /// <summary>Adds an escalation handler; every handler is called when a turn escalates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEscalationHandler(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>Uses a crisis directory (for example <c>CrisisDirectory.Default.With(...)</c>) for crisis replies and the PII allow-list.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The directory.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseCrisisDirectory(this IEmpathyKitBuilder builder, CrisisDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return builder.Replace(_ => directory);
    }

    /// <summary>Uses a crisis detector in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseCrisisDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, ICrisisDetector> factory) => builder.Replace(factory);

    /// <summary>
    /// Adds a second opinion to crisis detection (for example a moderation endpoint), combined with the built-in detector by
    /// taking the higher risk. It replaces the default model second opinion (see <see cref="CrisisOptions.ModelSecondOpinion"/>)
    /// and is used whatever that option says. It is asked only when the built-in assessment is below
    /// <see cref="CrisisOptions.ShortCircuitLevel"/>, concurrently with the reply, which is released when both have finished:
    /// at or above the short-circuit level the reply is replaced by the crisis reply; a higher level below it raises the
    /// turn's assessment; a lower one never lowers it. If it fails or exceeds <see cref="CrisisOptions.SecondOpinionTimeout"/>,
    /// the built-in assessment stands. It receives the raw text: a detector that sends text out of the process must redact
    /// it first.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the second-opinion detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddCrisisSecondOpinion(this IEmpathyKitBuilder builder, Func<IServiceProvider, ICrisisDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return builder.Replace(sp => new EmpathyKit.Crisis.SecondOpinion(factory(sp)));
    }

    /// <summary>
    /// Adds a chat model as a second opinion on crisis risk (for example a different model from the provider's). What it
    /// is sent is redacted first; it answers with a small JSON classification. Combined and bounded as described for
    /// <c>AddCrisisSecondOpinion</c>. Without it, a provider set with <c>UseChatClient</c> is the second opinion by default.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="clientFactory">Creates the chat client to ask.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddCrisisSecondOpinionFromModel(this IEmpathyKitBuilder builder, Func<IServiceProvider, IChatClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clientFactory);
        string name = builder.Name;
        return builder.AddCrisisSecondOpinion(sp => new EmpathyKit.Crisis.ChatClientCrisisDetector(clientFactory(sp), sp.GetRequiredKeyedService<IPiiRedactor>(name)));
    }

    /// <summary>Uses a PII detector in place of the built-in one (the redactor numbers what it finds).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UsePiiDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiDetector> factory) => builder.Replace(factory);

    /// <summary>Adds a PII recognizer (for example a patient-id format) that runs beside the built-in ones.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the recognizer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddPiiRecognizer(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiRecognizer> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>
    /// Adds a detector that runs beside the built-in one, for example a client of an external NER service; its
    /// entities are merged in. If it throws or exceeds <see cref="PiiOptions.ExternalDetectorTimeout"/>, redaction fails
    /// closed and the message does not leave the process.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddPiiDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => new EmpathyKit.Pii.AdditionalPiiDetector(factory(sp)));
        return builder;
    }

    /// <summary>Uses a PII redactor in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the redactor.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UsePiiRedactor(this IEmpathyKitBuilder builder, Func<IServiceProvider, IPiiRedactor> factory) => builder.Replace(factory);

    /// <summary>Uses a sentiment analyzer in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the analyzer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseSentimentAnalyzer(this IEmpathyKitBuilder builder, Func<IServiceProvider, ISentimentAnalyzer> factory) => builder.Replace(factory);

    /// <summary>Uses an output guard in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the guard.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseOutputGuard(this IEmpathyKitBuilder builder, Func<IServiceProvider, IOutputGuard> factory) => builder.Replace(factory);

    /// <summary>Uses an empathy scorer in place of the built-in one (EPITOME rules).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the scorer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseEmpathyScorer(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEmpathyScorer> factory) => builder.Replace(factory);

    /// <summary>Uses a disclaimer policy in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the policy.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseDisclaimerPolicy(this IEmpathyKitBuilder builder, Func<IServiceProvider, IDisclaimerPolicy> factory) => builder.Replace(factory);

    /// <summary>Keeps transcripts (encrypted) in process memory only.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseInMemoryTranscripts(this IEmpathyKitBuilder builder) =>
        builder.UseTranscriptStore(_ => new InMemoryTranscriptStore());

    /// <summary>Keeps transcripts (encrypted) in a SQLite file: the embedded default.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="databasePath">The database file.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseSqliteTranscripts(this IEmpathyKitBuilder builder, string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseTranscriptStore(_ => new SqliteTranscriptStore(databasePath));
    }

    /// <summary>Keeps transcripts in a host-provided store (it receives sealed records only).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseTranscriptStore(this IEmpathyKitBuilder builder, Func<IServiceProvider, ITranscriptStore> factory) => builder.Replace(factory);

    /// <summary>Uses a host-provided key provider (for example a cloud KMS) as the root of transcript encryption.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseTranscriptKeyProvider(this IEmpathyKitBuilder builder, Func<IServiceProvider, ITranscriptKeyProvider> factory) => builder.Replace(factory);

    /// <summary>Uses an existing owner-only key file as the root of transcript encryption.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The key file.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseKeyFile(this IEmpathyKitBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(builder);
        string name = builder.Name;
        return builder.UseTranscriptKeyProvider(sp => OpeningTheStore(sp, name, new KeyFileTranscriptKeyProvider(path), path));
    }

    /// <summary>
    /// Refuses, at start, a key file that cannot open the store it is used with: the store holds live keys and none of
    /// them is wrapped by this file's key (the file was replaced, or belongs to another database). Without this check
    /// every turn would fail to read and to store. A store that cannot be read to tell is left to fail loudly per turn.
    /// </summary>
    private static KeyFileTranscriptKeyProvider OpeningTheStore(IServiceProvider sp, string name, KeyFileTranscriptKeyProvider provider, string path)
    {
        IReadOnlyList<StoredKey> keys;
        try
        {
            keys = StoredKeys(sp, name);
        }
#pragma warning disable CA1031 // Start-up check only: a store that cannot be read fails each turn loudly instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            return provider;
        }

        List<string> wrappedBy = [.. keys.Where(k => !k.WrappedKey.IsEmpty).Select(k => k.RootKeyId).Distinct(StringComparer.Ordinal)];
        if (wrappedBy.Count > 0 && !wrappedBy.Contains(provider.KeyId, StringComparer.Ordinal))
        {
            provider.Dispose();
            throw new InvalidOperationException(
                $"The key file '{path}' (key {provider.KeyId}) does not open the transcript store: its keys are wrapped by {string.Join(", ", wrappedBy)}. " +
                "The key file was replaced, or belongs to another database; every turn would fail to read and to store. " +
                "Restore the key file that created the store, or move the transcript database away to start a new one (docs/security.md).");
        }

        return provider;
    }

    /// <summary>The keys in the pipeline's transcript store (start-up checks only); none when no store is registered.</summary>
    private static IReadOnlyList<StoredKey> StoredKeys(IServiceProvider sp, string name) =>
        sp.GetKeyedService<ITranscriptStore>(name) is { } store ? store.GetKeysAsync().AsTask().GetAwaiter().GetResult() : [];

    /// <summary>
    /// Uses a development key file in the user-scoped data folder (<see cref="EmpathyKitPaths.DevelopmentKeyFile"/>),
    /// creating it owner-only when the pipeline's transcript store holds no keys yet, and logging a warning that it is
    /// for development only.
    /// </summary>
    /// <remarks>
    /// A missing key file beside a store that already holds keys is an error (an <see cref="InvalidOperationException"/>
    /// when the key provider is first resolved), never a new key: a new key would leave every stored record unreadable
    /// and every later append failing. The message gives the recovery path: restore the key file, or move the database
    /// away to start a new one.
    /// </remarks>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseDevelopmentKey(this IEmpathyKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = builder.Name;
        return builder.UseTranscriptKeyProvider(sp =>
        {
            string path = EmpathyKitPaths.DevelopmentKeyFile;
            ILogger logger = (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("EmpathyKit.Transcripts");
            bool created = !File.Exists(path);
            if (created)
            {
                // Start-up only, once: the store's key table tells whether there is data a new key could not read.
                int keys;
                try
                {
                    keys = StoredKeys(sp, name).Count;
                }
                catch (Exception ex) when (ex is not InvalidOperationException)
                {
                    throw new InvalidOperationException(
                        $"The development key file '{path}' is missing and the transcript store could not be read to check whether it holds data ({ex.GetType().Name}). " +
                        "No key was created. Repair or move the transcript database, or restore the key file.", ex);
                }

                if (keys > 0)
                {
                    throw new InvalidOperationException(
                        $"The development key file '{path}' is missing, but the transcript store already holds {keys} keys wrapped by a key file. " +
                        "A new key would make every stored record unreadable. Restore the key file from a backup, or move the transcript database away to start a new one " +
                        "(with an escrow envelope, a new key file and 'empathykit keys recover' re-wrap the stored keys: docs/security.md).");
                }

                KeyFileTranscriptKeyProvider.CreateKeyFile(path);
            }

            // A key just made over an empty store opens it by definition; an existing file is checked against the store.
            KeyFileTranscriptKeyProvider provider = created ? new KeyFileTranscriptKeyProvider(path) : OpeningTheStore(sp, name, new KeyFileTranscriptKeyProvider(path), path);
#pragma warning disable CA1848, CA2254 // A one-time start-up warning; it names a file path, never content.
            logger.LogWarning("Transcripts are encrypted with a DEVELOPMENT key at {Path}. Do not use it in production: configure UseKeyFile or a KMS-backed key provider.", path);
#pragma warning restore CA1848, CA2254
            return provider;
        });
    }

    private static IEmpathyKitBuilder Replace<T>(this IEmpathyKitBuilder builder, Func<IServiceProvider, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        for (int i = builder.Services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = builder.Services[i];
            if (descriptor.ServiceType == typeof(T) && descriptor.IsKeyedService && Equals(descriptor.ServiceKey, builder.Name))
            {
                builder.Services.RemoveAt(i);
            }
        }

        builder.Services.AddKeyedSingleton<T>(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    private static EmpathyKitBuilder Internal(IEmpathyKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder as EmpathyKitBuilder
            ?? throw new ArgumentException("Use the builder returned by AddEmpathyKit.", nameof(builder));
    }
}
