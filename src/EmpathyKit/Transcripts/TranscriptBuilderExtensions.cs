using EmpathyKit;
using EmpathyKit.DependencyInjection;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the encrypted transcript log: options, the store and the root key.</summary>
public static class TranscriptBuilderExtensions
{
    /// <summary>Configures the transcript log (retention, queue, history windows): <see cref="EmpathyKitOptions.Transcripts"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureTranscripts(this IEmpathyKitBuilder builder, Action<TranscriptOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Transcripts));
    }

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
    public static IEmpathyKitBuilder UseTranscriptStore(this IEmpathyKitBuilder builder, Func<IServiceProvider, ITranscriptStore> factory) => builder.ReplaceKeyed(factory);

    /// <summary>Uses a host-provided key provider (for example a cloud KMS) as the root of transcript encryption.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseTranscriptKeyProvider(this IEmpathyKitBuilder builder, Func<IServiceProvider, ITranscriptKeyProvider> factory) => builder.ReplaceKeyed(factory);

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
}
