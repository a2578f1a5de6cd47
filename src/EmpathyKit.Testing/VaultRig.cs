using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit.Testing;

/// <summary>A vault over a store with a key file root and a hand-moved clock.</summary>
internal sealed class VaultRig : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly KeyFileTranscriptKeyProvider _root;

    public VaultRig(ITranscriptStore store, string? rootKeyPath = null, Action<TranscriptOptions>? configure = null, ManualTimeProvider? time = null)
    {
        Store = store;
        Directory = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        RootKeyPath = rootKeyPath ?? Path.Combine(Directory, "root.key");
        if (!File.Exists(RootKeyPath))
        {
            KeyFileTranscriptKeyProvider.CreateKeyFile(RootKeyPath);
        }

        _root = new KeyFileTranscriptKeyProvider(RootKeyPath);
        Options = new TranscriptOptions { WriteRetries = 2 };
        configure?.Invoke(Options);
        Time = time ?? new ManualTimeProvider(Start);
        Vault = new TranscriptVault(store, _root, Options, Time, NullLogger.Instance);
    }

    public ITranscriptStore Store { get; }

    public string Directory { get; }

    public string RootKeyPath { get; }

    public TranscriptOptions Options { get; }

    public ManualTimeProvider Time { get; }

    public TranscriptVault Vault { get; }

    public static TranscriptEntry User(string text, DateTimeOffset at, RiskLevel risk = RiskLevel.None, params CrisisCategory[] categories) =>
        new(TranscriptRole.User, text, at, risk, categories);

    public static TranscriptEntry Bot(string text, DateTimeOffset at) => new(TranscriptRole.Assistant, text, at, RiskLevel.None, []);

    /// <summary>Appends and waits until durable.</summary>
    public async Task AppendAsync(TranscriptAddress address, params TranscriptEntry[] entries)
    {
        TranscriptWriteReceipt receipt = await Vault.AppendAsync(address, entries);
        await receipt.Durable;
    }

    public Task SayAsync(TranscriptAddress address, string text) => AppendAsync(address, User(text, Time.GetUtcNow()));

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync();
        _root.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
