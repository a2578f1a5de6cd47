using BenchmarkDotNet.Attributes;
using EmpathyKit.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace EmpathyKit.Benchmarks;

/// <summary>
/// A Kernel prompt over an in-process model that answers at once: plain, with EmpathyKit's filters, and through the
/// whole pipeline as the Kernel's chat service. The filters' cost is the second minus the first; the pipeline's stages'
/// is the third minus the first.
/// </summary>
[MemoryDiagnoser]
public class KernelFilterBenchmarks
{
    private readonly KernelArguments _arguments = new(EmpathyKitKernel.ForConversation("bench-kernel"));
    private Kernel _plain = null!;
    private Kernel _filtered = null!;
    private Kernel _pipeline = null!;
    private string _keyDir = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keyDir = Directory.CreateTempSubdirectory("empathykit-bench").FullName;
        string key = Path.Combine(_keyDir, "bench.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        IChatClient model = new InstantModel();

        IKernelBuilder plain = Kernel.CreateBuilder();
        plain.Services.AddSingleton(model.AsChatCompletionService());
        _plain = plain.Build();

        IKernelBuilder filtered = Kernel.CreateBuilder();
        filtered.Services.AddSingleton(model.AsChatCompletionService());
        filtered.AddEmpathyKitFilters(ek => ek.Configure(o => o.Country = "GB"));
        _filtered = filtered.Build();

        IKernelBuilder pipeline = Kernel.CreateBuilder();
        pipeline.AddEmpathyKit(ek => ek.Configure(o =>
            {
                o.Country = "GB";
                o.Crisis.ModelSecondOpinion = false;
            })
            .UseChatClient(model).UseInMemoryTranscripts().UseKeyFile(key));
        _pipeline = pipeline.Build();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_keyDir, recursive: true);

    [Benchmark(Baseline = true)]
    public Task<FunctionResult> Kernel_plain() => _plain.InvokePromptAsync(Messages.Neutral, _arguments);

    [Benchmark]
    public Task<FunctionResult> Kernel_with_EmpathyKit_filters() => _filtered.InvokePromptAsync(Messages.Neutral, _arguments);

    [Benchmark]
    public Task<FunctionResult> Kernel_through_the_pipeline() => _pipeline.InvokePromptAsync(Messages.Neutral, _arguments);

    private sealed class InstantModel : IChatClient
    {
        private static readonly ChatResponse Reply = new(new ChatMessage(ChatRole.Assistant, "That sounds like a lot to carry. What has been the hardest part?"));

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Reply);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
