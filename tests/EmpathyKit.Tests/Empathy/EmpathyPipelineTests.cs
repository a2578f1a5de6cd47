using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Empathy;

/// <summary>The guard, scorer and mood trajectory as a host sees them: in the turn report (the boundary note: DisclaimerTests).</summary>
public sealed class EmpathyPipelineTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unsolicited_advice_on_the_first_turn_is_replaced_and_the_reason_reported(bool streaming)
    {
        using var host = new TestHost(new FakeChatClient("I hear you. You should just go to bed earlier."));

        (string text, TurnReport report) = await RunAsync(host, [new ChatMessage(ChatRole.User, "I can't sleep and work is crushing me.")], streaming);

        Assert.DoesNotContain("go to bed earlier", text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.GuardReplacement, report.ReplySource);
        Assert.Equal([GuardViolations.UnsolicitedAdvice], report.Guard!.Violations);
        Assert.NotNull(report.Empathy);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_good_reply_passes_and_its_empathy_score_is_in_the_report_without_the_disclaimers(bool streaming)
    {
        using var host = new TestHost(new FakeChatClient("That sounds exhausting. It sounds like work has been keeping you awake. What has the last week been like?"));

        (string text, TurnReport report) = await RunAsync(host, [new ChatMessage(ChatRole.User, "I can't sleep and work is crushing me.")], streaming);

        Assert.Equal(ReplySource.Provider, report.ReplySource);
        Assert.Contains(report.Disclaimers, d => d.Kind == DisclaimerKinds.AiDisclosure);
        Assert.Contains(report.Disclaimers[0].Text, text, StringComparison.Ordinal);
        Assert.Equal(6, report.Empathy!.Total);
        Assert.Empty(report.Empathy.Flags);
    }

    [Fact]
    public async Task Scoring_can_be_turned_off()
    {
        using var host = new TestHost(options: o => o.Guard.ScoreReplies = false);

        (_, TurnReport report) = await RunAsync(host, [new ChatMessage(ChatRole.User, "Hello")], streaming: false);

        Assert.Null(report.Empathy);
    }

    [Fact]
    public async Task The_mood_trajectory_follows_the_user_turns_and_shows_a_decline()
    {
        using var host = new TestHost();
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "I had a lovely day with my friends, feeling great."),
            new(ChatRole.Assistant, "That sounds lovely."),
            new(ChatRole.User, "Things are okay I guess."),
            new(ChatRole.Assistant, "What's been happening?"),
            new(ChatRole.User, "I'm sad and tired of everything."),
            new(ChatRole.Assistant, "That sounds heavy."),
            new(ChatRole.User, "Nobody cares about me and I don't see the point anymore."),
        ];

        (_, TurnReport report) = await RunAsync(host, conversation, streaming: false);

        MoodTrajectory mood = report.Mood!;
        Assert.Equal(4, mood.Valences.Count);
        Assert.Equal(report.Sentiment!.Valence, mood.Valences[^1]);
        Assert.True(mood.Valences[0] > 0.3 && mood.Valences[^1] < -0.3);
        Assert.True(mood.Trend < -0.1);
        Assert.True(mood.Change < -0.3);
        Assert.True(mood.Declining);
    }

    [Fact]
    public void A_single_turn_has_no_trend()
    {
        MoodTrajectory mood = EmpathyKit.Pipeline.SentimentStage.Trajectory([-0.4]);

        Assert.Equal(0, mood.Trend);
        Assert.False(mood.Declining);
    }

    internal static async Task<(string Text, TurnReport Report)> RunAsync(TestHost host, ChatMessage[] messages, bool streaming)
    {
        if (!streaming)
        {
            ChatResponse response = await host.Pipeline.GetResponseAsync(messages);
            return (response.Text, response.GetTurnReport()!);
        }

        var text = new System.Text.StringBuilder();
        TurnReport? report = null;
        await foreach (ChatResponseUpdate update in host.Pipeline.GetStreamingResponseAsync(messages))
        {
            text.Append(update.Text);
            report = update.GetTurnReport() ?? report;
        }

        return (text.ToString(), report!);
    }
}
