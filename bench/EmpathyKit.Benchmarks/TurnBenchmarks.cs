using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Benchmarks;

/// <summary>A whole turn through every stage with the offline responder and the in-memory store (encryption included).</summary>
[MemoryDiagnoser]
public class TurnBenchmarks
{
    private ServiceProvider _services = null!;
    private IChatClient _pipeline = null!;
    private ISupportChat _chat = null!;
    private string _keyDir = null!;
    private int _fresh;

    [GlobalSetup]
    public void Setup()
    {
        _keyDir = Directory.CreateTempSubdirectory("empathykit-bench").FullName;
        string key = Path.Combine(_keyDir, "bench.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        var services = new ServiceCollection();
        services.AddEmpathyKit(o => o.Country = "GB").UseOfflineResponder().UseInMemoryTranscripts().UseKeyFile(key);
        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredKeyedService<IChatClient>(EmpathyKitServiceCollectionExtensions.DefaultName);
        _chat = _services.GetRequiredService<ISupportChat>();
        for (int i = 0; i < 200; i++)
        {
            _ = _chat.SendAsync("deep", $"{Messages.Neutral[..80]} ({i})", new SupportTurnOptions { WaitForTranscript = true }).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Directory.Delete(_keyDir, recursive: true);
    }

    [Benchmark]
    public Task<ChatResponse> Turn_offline_100_chars() =>
        _pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, Messages.Short)], new ChatOptions { ConversationId = "bench" });

    /// <summary>The first turn of a conversation through <see cref="ISupportChat"/> (history loaded from the store: none).</summary>
    [Benchmark]
    public Task<SupportReply> SupportChat_first_turn() => _chat.SendAsync($"fresh-{++_fresh}", Messages.Neutral);

    /// <summary>A turn of a conversation already 200 turns deep (history loaded, decrypted and re-read from the store).</summary>
    [Benchmark]
    public Task<SupportReply> SupportChat_turn_after_200() => _chat.SendAsync("deep", Messages.Neutral);

    [Benchmark]
    public Task<ChatResponse> Turn_crisis_short_circuit() =>
        _pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I want to kill myself tonight")], new ChatOptions { ConversationId = "bench" });
}
