using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Escalation;

/// <summary><see cref="IEmpathyKitHealth"/>: healthy with a working store and worker, and says which part is down otherwise, without throwing.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_working_pipeline_is_healthy()
    {
        using var host = new TestHost();
        EmpathyKitHealthReport report = await host.Services.GetRequiredService<IEmpathyKitHealth>().CheckAsync();
        Assert.True(report.IsHealthy, report.Problem);
        Assert.Null(report.Problem);
    }

    [Fact]
    public async Task A_store_that_fails_is_reported_by_its_exception_type()
    {
        var broken = new BrokenReads(new InMemoryTranscriptStore());
        using var host = new TestHost(configure: b => b.UseTranscriptStore(_ => broken));
        EmpathyKitHealthReport report = await host.Services.GetRequiredService<IEmpathyKitHealth>().CheckAsync();
        Assert.False(report.IsHealthy);
        Assert.False(report.TranscriptStoreReachable);
        Assert.Equal("transcript store: TimeoutException", report.Problem);
    }

    private sealed class BrokenReads(ITranscriptStore inner) : DelegatingTranscriptStore(inner)
    {
        public override ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default) => throw new TimeoutException("down");
    }
}
