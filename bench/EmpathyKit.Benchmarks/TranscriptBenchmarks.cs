using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using EmpathyKit;
using EmpathyKit.Transcripts;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// Transcript store throughput: durable SQLite appends (synchronous=FULL, every commit on disk before it is
/// acknowledged), record sealing and AES-GCM throughput, and reading a 200-turn conversation.
/// Appends per second = OperationsPerInvoke / mean time.
/// </summary>
[MemoryDiagnoser]
public class TranscriptBenchmarks
{
    private const int Appends = 256;
    private const string Text = "I have been feeling really low and anxious about work, and I cannot sleep properly most nights this month.";
    private readonly byte[] _gcmKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private byte[] _block = [];
    private byte[] _cipher = [];
    private string _dir = string.Empty;
    private KeyFileTranscriptKeyProvider? _root;
    private SqliteTranscriptStore? _store;
    private TranscriptVault? _vault;
    private TranscriptAddress _long = TranscriptAddress.ForConversation("long");
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _block = RandomNumberGenerator.GetBytes(1 << 20);
        _cipher = new byte[_block.Length];
        _dir = Path.Combine(Path.GetTempPath(), "empathykit-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        string key = Path.Combine(_dir, "bench.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        _root = new KeyFileTranscriptKeyProvider(key);
        _store = new SqliteTranscriptStore(Path.Combine(_dir, "bench.db"));
        _vault = new TranscriptVault(_store, _root, new TranscriptOptions(), TimeProvider.System, NullLogger.Instance);
        for (int turn = 0; turn < 200; turn++)
        {
            _vault.AppendAsync(_long, [Entry(Text), Entry("That sounds really hard. What has been weighing on you most?", TranscriptRole.Assistant)]).AsTask().GetAwaiter().GetResult().Durable.GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store!.Dispose();
        _root!.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>One conversation, each append awaited until durable before the next: no group commit possible.</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task DurableAppend_SingleWriter()
    {
        TranscriptAddress address = TranscriptAddress.ForConversation("single-" + _round++);
        for (int i = 0; i < Appends; i++)
        {
            await (await _vault!.AppendAsync(address, [Entry(Text)])).Durable;
        }
    }

    /// <summary>8 conversations appending concurrently, each awaiting its own durability (the writer group-commits).</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task DurableAppend_8Conversations()
    {
        int round = _round++;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async c =>
        {
            TranscriptAddress address = TranscriptAddress.ForConversation($"multi-{round}-{c}");
            for (int i = 0; i < Appends / 8; i++)
            {
                await (await _vault!.AppendAsync(address, [Entry(Text)])).Durable;
            }
        }));
    }

    /// <summary>Read and verify the chain of the last 400 records (200 turns) and decrypt them.</summary>
    [Benchmark]
    public async Task<int> Read_200Turns() => (await _vault!.ReadAsync(_long, 400)).Count;

    /// <summary>AES-256-GCM over 1 MiB (bytes per second = 1 MiB / mean).</summary>
    [Benchmark]
    public void AesGcm_1MiB()
    {
        using var aes = new AesGcm(_gcmKey, 16);
        aes.Encrypt(_nonce, _block, _cipher, _tag);
    }

    /// <summary>Seal one 200-byte record: HKDF record key + commitment, AES-GCM, authenticated place.</summary>
    [Benchmark]
    public byte[] SealRecord_200B() =>
        TranscriptRecordFormat.Seal(_gcmKey, Guid.Empty, new TranscriptRecordFormat.Place("t_x", "s_x", "c_x", 1, new byte[32], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), _block.AsSpan(0, 200));

    private static TranscriptEntry Entry(string text, TranscriptRole role = TranscriptRole.User) => new(role, text, DateTimeOffset.UtcNow, RiskLevel.Low, [CrisisCategory.Distress]);
}
