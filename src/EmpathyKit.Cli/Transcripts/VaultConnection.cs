using System.CommandLine;
using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit.Cli.Transcripts;

/// <summary>
/// The options every <c>transcripts</c> and <c>keys</c> command shares (which store, which root key, who acts), and
/// the vault they open. Secrets never travel on the command line, where other users can read them in the process
/// list: a PostgreSQL connection string and a certificate password are read from environment variables named by options.
/// </summary>
internal sealed class VaultConnection
{
    /// <summary>Exit code: the command ran and found no problem.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the command ran and found integrity problems.</summary>
    public const int ProblemsFound = 1;

    /// <summary>Exit code: bad arguments or a missing file.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code: the operation failed (wrong key, unreachable database, refused envelope...).</summary>
    public const int Failed = 3;

    /// <summary>Exit code: what was asked for is not in the store (a conversation with no records: unknown, erased or purged).</summary>
    public const int NotFound = 4;

    public VaultConnection()
    {
        Database = new Option<FileInfo?>("--db") { Description = $"The SQLite transcript database (default: {EmpathyKitPaths.DefaultTranscriptDatabase}).", Recursive = true };
        PostgresVariable = new Option<string?>("--postgres-env") { Description = "Use PostgreSQL: the name of the environment variable that holds the connection string (never the string itself).", Recursive = true };
        Schema = new Option<string>("--schema") { Description = "The PostgreSQL schema.", DefaultValueFactory = _ => "empathykit", Recursive = true };
        KeyFile = new Option<FileInfo?>("--key-file") { Description = $"The root key file (default: {EmpathyKitPaths.DevelopmentKeyFile}).", Recursive = true };
        RootCertificate = new Option<FileInfo?>("--root-cert") { Description = "Use an X.509 certificate with its RSA private key (PKCS#12) as the root instead of a key file.", Recursive = true };
        RootCertificatePassword = new Option<string?>("--root-cert-password-env") { Description = "The environment variable that holds the root certificate's password.", Recursive = true };
        Actor = new Option<string>("--actor") { Description = "Who acts (recorded in the audit log).", DefaultValueFactory = _ => "cli:" + Environment.UserName, Recursive = true };
    }

    public Option<FileInfo?> Database { get; }

    public Option<string?> PostgresVariable { get; }

    public Option<string> Schema { get; }

    public Option<FileInfo?> KeyFile { get; }

    public Option<FileInfo?> RootCertificate { get; }

    public Option<string?> RootCertificatePassword { get; }

    public Option<string> Actor { get; }

    /// <summary>Adds the shared options to a parent command (they apply to its subcommands).</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Database);
        command.Options.Add(PostgresVariable);
        command.Options.Add(Schema);
        command.Options.Add(KeyFile);
        command.Options.Add(RootCertificate);
        command.Options.Add(RootCertificatePassword);
        command.Options.Add(Actor);
    }

    /// <summary>
    /// Opens the vault and runs <paramref name="body"/>, turning every expected failure into a one-line message on
    /// standard error and an exit code; no stack trace reaches the operator.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parseResult, string commandName, Func<VaultSession, TextWriter, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        VaultSession session;
        try
        {
            session = Open(parseResult);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"empathykit {commandName}: {ex.Message}");
            return UsageError;
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidOperationException or IOException or UnauthorizedAccessException or DbException or ArgumentException)
        {
            await error.WriteLineAsync($"empathykit {commandName}: cannot open the transcript store: {ex.Message}");
            return Failed;
        }

        try
        {
            return await body(session, output, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"empathykit {commandName}: {ex.Message}");
            return UsageError;
        }
        catch (CryptographicException ex)
        {
            string hint = commandName == "keys recover" ? string.Empty : " If the root key was lost or replaced, recover with 'empathykit keys recover'.";
            await error.WriteLineAsync($"empathykit {commandName}: {ex.Message}{hint}");
            return Failed;
        }
        catch (Exception ex) when (ex is TranscriptAccessException or TranscriptIntegrityException or InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException or DbException or TimeoutException)
        {
            await error.WriteLineAsync($"empathykit {commandName}: {ex.Message}");
            return Failed;
        }
        finally
        {
            await session.DisposeAsync();
        }
    }

    private VaultSession Open(ParseResult parseResult)
    {
        string? variable = parseResult.GetValue(PostgresVariable);
        FileInfo? database = parseResult.GetValue(Database);
        if (variable is not null && database is not null)
        {
            throw new CliUsageException("choose one store: --db (SQLite) or --postgres-env (PostgreSQL).");
        }

        FileInfo? keyFile = parseResult.GetValue(KeyFile);
        FileInfo? certificateFile = parseResult.GetValue(RootCertificate);
        if (keyFile is not null && certificateFile is not null)
        {
            throw new CliUsageException("choose one root: --key-file or --root-cert.");
        }

        ITranscriptKeyProvider root;
        IDisposable? rootLifetime = null;
        if (certificateFile is not null)
        {
            X509Certificate2 certificate = LoadPrivateCertificate(certificateFile, parseResult.GetValue(RootCertificatePassword), "--root-cert");
            root = new CertificateTranscriptKeyProvider(certificate);
            rootLifetime = certificate;
        }
        else
        {
            string path = keyFile?.FullName ?? EmpathyKitPaths.DevelopmentKeyFile;
            if (!File.Exists(path))
            {
                throw new CliUsageException($"the root key file '{path}' does not exist (a new key could not read existing transcripts, so none is created here).");
            }

            var provider = new KeyFileTranscriptKeyProvider(path);
            root = provider;
            rootLifetime = provider;
        }

        ITranscriptStore store;
        try
        {
            if (variable is not null)
            {
                string connectionString = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                    ? value
                    : throw new CliUsageException($"the environment variable '{variable}' named by --postgres-env is not set.");
                store = new PostgreSqlTranscriptStore(connectionString, parseResult.GetValue(Schema)!, createSchema: false);
            }
            else
            {
                string path = database?.FullName ?? EmpathyKitPaths.DefaultTranscriptDatabase;
                if (!File.Exists(path))
                {
                    throw new CliUsageException($"the transcript database '{path}' does not exist.");
                }

                store = new SqliteTranscriptStore(path);
            }
        }
        catch
        {
            rootLifetime.Dispose();
            throw;
        }

        // The erasure reaches the outbox kept beside the transcripts (the built-in stores keep one in the same database).
        var vault = new TranscriptVault(store, root, new TranscriptOptions(), TimeProvider.System, NullLogger.Instance, () => (store as IEscalationStoreSource)?.GetEscalationStore());
        return new VaultSession(vault, store, rootLifetime, parseResult.GetValue(Actor)!);
    }

    /// <summary>Loads a PKCS#12 certificate with its private key; the password comes from an environment variable.</summary>
    public static X509Certificate2 LoadPrivateCertificate(FileInfo file, string? passwordVariable, string optionName)
    {
        if (!file.Exists)
        {
            throw new CliUsageException($"the certificate '{file.FullName}' given to {optionName} does not exist.");
        }

        string? password = null;
        if (passwordVariable is not null)
        {
            password = Environment.GetEnvironmentVariable(passwordVariable)
                ?? throw new CliUsageException($"the environment variable '{passwordVariable}' that should hold the password for {optionName} is not set.");
        }

        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12FromFile(file.FullName, password);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CliUsageException($"the certificate given to {optionName} has no private key (a PKCS#12 file with the key is needed).");
        }

        return certificate;
    }

    /// <summary>Loads a public certificate (DER or PEM) for encrypting to it.</summary>
    public static X509Certificate2 LoadPublicCertificate(FileInfo file, string optionName) =>
        file.Exists
            ? X509CertificateLoader.LoadCertificateFromFile(file.FullName)
            : throw new CliUsageException($"the certificate '{file.FullName}' given to {optionName} does not exist.");

    /// <summary>Writes sensitive bytes to a new file readable by its owner only; an existing file is not overwritten.</summary>
    public static async Task WritePrivateFileAsync(FileInfo file, byte[] content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(file.FullName, options);
            await stream.WriteAsync(content, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(file.FullName))
        {
            throw new CliUsageException($"'{file.FullName}' already exists; it is not overwritten.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }
}

/// <summary>An open vault with the store and root it owns.</summary>
internal sealed class VaultSession : IAsyncDisposable
{
    private readonly ITranscriptStore _store;
    private readonly IDisposable _root;

    public VaultSession(TranscriptVault vault, ITranscriptStore store, IDisposable root, string actor)
    {
        Vault = vault;
        _store = store;
        _root = root;
        Actor = actor;
    }

    public TranscriptVault Vault { get; }

    /// <summary>Gets the store the vault is over (its escalation store keeps the conversations' control states).</summary>
    public ITranscriptStore Store => _store;

    public string Actor { get; }

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync();
        (_store as IDisposable)?.Dispose();
        _root.Dispose();
    }
}

/// <summary>A mistake in how a command was called: reported on one line with exit code 2.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
