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
    private string _keyDir = null!;

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

    [Benchmark]
    public Task<ChatResponse> Turn_crisis_short_circuit() =>
        _pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I want to kill myself tonight")], new ChatOptions { ConversationId = "bench" });
}
