using EmpathyKit.Tests.Empathy;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Disclaimers;

/// <summary>The disclaimers a host sees in the turn report: the boundary note (the AI disclosure: SupportChatTests; failing open: FailureRuleTests).</summary>
public sealed class DisclaimerTests
{
    [Theory]
    [InlineData("Do you think I have ADHD?")]
    [InlineData("How much sertraline should I take?")]
    [InlineData("Should I stop my meds?")]
    public async Task Asking_for_a_diagnosis_or_medication_advice_adds_the_boundary_note(string message)
    {
        using var host = new TestHost(new FakeChatClient("It sounds like you want to understand what's going on. What has made you wonder about this?"));

        (string text, TurnReport report) = await EmpathyPipelineTests.RunAsync(host, [new ChatMessage(ChatRole.User, message)], streaming: false);

        Disclaimer boundary = Assert.Single(report.Disclaimers, d => d.Kind == DisclaimerKinds.Boundary);
        Assert.Contains(boundary.Text, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_boundary_note_for_an_ordinary_message()
    {
        using var host = new TestHost();

        (_, TurnReport report) = await EmpathyPipelineTests.RunAsync(host, [new ChatMessage(ChatRole.User, "My exams are stressing me out.")], streaming: false);

        Assert.DoesNotContain(report.Disclaimers, d => d.Kind == DisclaimerKinds.Boundary);
    }
}
