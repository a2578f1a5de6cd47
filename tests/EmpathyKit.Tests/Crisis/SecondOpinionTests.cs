using EmpathyKit.Crisis;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Crisis;

public sealed class SecondOpinionTests
{
    [Fact]
    public async Task The_higher_risk_wins_and_the_model_sees_only_redacted_text()
    {
        var moderation = new FakeChatClient("{\"level\":\"high\",\"categories\":[\"suicidal\"]}");
        using var host = new TestHost(configure: b => b.AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply reply = await host.Chat.SendAsync("c-second", "I'm Maria, mail maria@example.com, everything feels grey lately");
        Assert.Equal(RiskLevel.High, reply.Risk.Level);
        Assert.Contains(CombinedCrisisDetector.SecondOpinionSignal, reply.Risk.Signals);
        Assert.Equal(ReplySource.CrisisResponse, reply.Report.ReplySource);
        string sent = string.Join("\n", moderation.Requests.Single().Select(m => m.Text));
        Assert.DoesNotContain("maria@example.com", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", sent[sent.IndexOf("I'm", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lower_second_opinion_never_lowers_the_risk()
    {
        var moderation = new FakeChatClient("{\"level\":\"none\",\"categories\":[]}");
        using var host = new TestHost(configure: b => b.AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply reply = await host.Chat.SendAsync("c-second-low", "I want to kill myself");
        Assert.Equal(RiskLevel.High, reply.Risk.Level);
    }

    [Fact]
    public async Task A_failing_second_opinion_leaves_the_built_in_assessment()
    {
        var moderation = new FakeChatClient("not json at all");
        using var host = new TestHost(configure: b => b.AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply reply = await host.Chat.SendAsync("c-second-bad", "I had an okay day");
        Assert.Equal(RiskLevel.None, reply.Risk.Level);
        Assert.Contains(CombinedCrisisDetector.SecondOpinionUnavailableSignal, reply.Risk.Signals);
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
    }

    [Fact]
    public async Task A_slow_second_opinion_times_out()
    {
        using var host = new TestHost(
            configure: b => b.AddCrisisSecondOpinion(_ => new SlowDetector()),
            options: o => o.Crisis.SecondOpinionTimeout = TimeSpan.FromMilliseconds(60));
        SupportReply reply = await host.Chat.SendAsync("c-second-slow", "I had an okay day");
        Assert.Contains(CombinedCrisisDetector.SecondOpinionUnavailableSignal, reply.Risk.Signals);
    }

    [Theory]
    [InlineData("{\"level\":\"imminent\",\"categories\":[\"medical\",\"bogus\"]}", RiskLevel.Imminent)]
    [InlineData("Sure! ```json {\"level\": \"moderate\", \"categories\": [\"third_party\"]} ```", RiskLevel.Moderate)]
    public void Model_answers_are_parsed_strictly(string answer, RiskLevel expected) =>
        Assert.Equal(expected, ChatClientCrisisDetector.Parse(answer).Level);

    [Theory]
    [InlineData("no json")]
    [InlineData("{\"level\":\"catastrophic\"}")]
    public void Unusable_model_answers_are_errors(string answer) =>
        Assert.ThrowsAny<Exception>(() => ChatClientCrisisDetector.Parse(answer));

    private sealed class SlowDetector : ICrisisDetector
    {
        public async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
            return new CrisisAssessment(RiskLevel.Imminent, [CrisisCategory.Suicidal], []);
        }
    }
}
