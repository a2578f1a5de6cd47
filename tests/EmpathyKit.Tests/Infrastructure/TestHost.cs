using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>Builds a pipeline with a fake provider, an in-memory store and a temporary key file.</summary>
/// <remarks>
/// The fake provider is not asked for a crisis second opinion unless <c>modelSecondOpinion</c> is set (the library's
/// default, on for a provider set with <c>UseChatClient</c>): most tests count and inspect the provider's requests.
/// A second opinion added with <c>AddCrisisSecondOpinion</c> is used either way.
/// </remarks>
internal sealed class TestHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestHost(FakeChatClient? provider = null, Action<IEmpathyKitBuilder>? configure = null, Action<EmpathyKitOptions>? options = null, Action<IServiceCollection>? services = null, bool modelSecondOpinion = false)
    {
        Directory = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        KeyPath = Path.Combine(Directory, "test.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(KeyPath);
        Provider = provider ?? new FakeChatClient("Thank you for sharing that. What has been the hardest part?");
        Store = new InMemoryTranscriptStore();
        var collection = new ServiceCollection();
        collection.AddLogging();
        services?.Invoke(collection);
        IEmpathyKitBuilder builder = collection.AddEmpathyKit(o =>
            {
                o.Country = "GB";
                o.Crisis.ModelSecondOpinion = modelSecondOpinion;

                // A turn returns as soon as a channel accepts its escalation; the longest wait keeps tests that check
                // "delivered" from depending on the machine's speed.
                o.Escalations.WaitForDelivery = TimeSpan.FromSeconds(10);
                options?.Invoke(o);
            })
            .UseChatClient(Provider)
            .UseTranscriptStore(_ => Store)
            .UseKeyFile(KeyPath);
        configure?.Invoke(builder);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string Directory { get; }

    public string KeyPath { get; }

    public FakeChatClient Provider { get; }

    public InMemoryTranscriptStore Store { get; }

    public IServiceProvider Services => _provider;

    public IChatClient Pipeline => _provider.GetRequiredKeyedService<IChatClient>(EmpathyKitServiceCollectionExtensions.DefaultName);

    public ISupportChat Chat => _provider.GetRequiredService<ISupportChat>();

    public ITranscriptLog Transcripts => _provider.GetRequiredKeyedService<ITranscriptLog>(EmpathyKitServiceCollectionExtensions.DefaultName);

    public void Dispose()
    {
        _provider.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
