using EmpathyKit.Semantic;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Tests.Pipeline;

namespace EmpathyKit.Tests.Semantic;

public sealed class SemanticDependencyInjectionTests
{
    [Fact]
    public async Task UseSemanticCrisisDetection_makes_it_the_pipelines_crisis_detector()
    {
        using var host = new TestHost(configure: b => b.UseSemanticCrisisDetection());
        ICrisisDetector detector = host.Services.GetRequiredKeyedService<ICrisisDetector>(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.Same(SemanticCrisisDetector.Default, detector);

        TurnReport everyday = await PipelineOrderTests.Run(host.Pipeline, "I went for a run this morning and then met a friend for coffee", streaming: false);
        Assert.True(everyday.Crisis!.Level < RiskLevel.High);
        Assert.Equal(ReplySource.Provider, everyday.ReplySource);

        TurnReport crisis = await PipelineOrderTests.Run(host.Pipeline, "I bought a rope today and wrote goodbye letters to my kids", streaming: false);
        Assert.True(crisis.Crisis!.Level >= RiskLevel.High);
        Assert.Equal(ReplySource.CrisisResponse, crisis.ReplySource);
    }
}
