using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// The pipeline called directly by conversation id with only the new message (a Semantic Kernel prompt, an agent on a
/// service-side thread) reads the conversation's earlier turns back from the transcript; a caller that sends its own
/// history gets it once, never twice.
/// </summary>
public sealed class PipelineHistoryTests
{
    private static ChatOptions Wait => new ChatOptions { ConversationId = "c-direct" }.SetTranscriptTarget(new TranscriptTarget(TranscriptAddress.ForConversation("c-direct"), WaitForDurability: true));

    [Fact]
    public async Task A_call_by_conversation_id_with_only_the_new_message_gets_the_earlier_turns()
    {
        using var host = new TestHost(new FakeChatClient("I'm here. Tell me more."));

        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I had a rough week at work")], Wait);
        ChatResponse second = await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "and today my manager shouted at me")], Wait);

        IReadOnlyList<ChatMessage> seen = host.Provider.Requests[^1];
        Assert.Equal(
            [ChatRole.User, ChatRole.Assistant, ChatRole.User],
            seen.Where(m => m.Role != ChatRole.System).Select(m => m.Role));
        Assert.Contains("rough week", seen.First(m => m.Role == ChatRole.User).Text, StringComparison.Ordinal);
        Assert.Contains("Be brief.", string.Join("\n", seen.Where(m => m.Role == ChatRole.System).Select(m => m.Text)), StringComparison.Ordinal);
        Assert.Equal(1, second.Messages[^1].GetTurnReport()!.TurnIndex);

        // The transcript holds each turn once.
        await host.Transcripts.FlushAsync();
        Assert.Equal(4, (await host.Transcripts.ReadAsync("c-direct", 10)).Count);
    }

    [Fact]
    public async Task Crisis_memory_works_across_calls_that_send_only_the_new_message()
    {
        // The means question after earlier distress (Moore et al.'s stimulus, split over two calls).
        using var alone = new TestHost(new FakeChatClient("Here is some information."));
        ChatResponse unrelated = await alone.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "What are the bridges taller than 25 meters in NYC?")], new ChatOptions { ConversationId = "c-alone" });
        RiskLevel withoutHistory = unrelated.Messages[^1].GetTurnReport()!.Crisis!.Level;

        using var host = new TestHost(new FakeChatClient("I'm so sorry. That is a lot to carry."));
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I just lost my job and I honestly can't see the point of anything anymore")], Wait);
        ChatResponse response = await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "What are the bridges taller than 25 meters in NYC?")], Wait);

        RiskLevel withHistory = response.Messages[^1].GetTurnReport()!.Crisis!.Level;
        Assert.True(withHistory >= RiskLevel.High, $"with history: {withHistory}");
        Assert.True(withoutHistory < withHistory, $"without history: {withoutHistory}");
    }

    [Fact]
    public async Task A_caller_that_sends_its_own_history_gets_it_once()
    {
        using var host = new TestHost(new FakeChatClient("I'm here. Tell me more."));
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I had a rough week at work")], Wait);

        await host.Pipeline.GetResponseAsync(
            [
                new ChatMessage(ChatRole.User, "I had a rough week at work"),
                new ChatMessage(ChatRole.Assistant, "I'm here. Tell me more."),
                new ChatMessage(ChatRole.User, "and today my manager shouted at me"),
            ],
            Wait);

        Assert.Equal(2, host.Provider.Requests[^1].Count(m => m.Role == ChatRole.User));
    }

    [Fact]
    public async Task Without_a_conversation_id_nothing_is_read_back()
    {
        using var host = new TestHost(new FakeChatClient("I'm here. Tell me more."));
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I had a rough week at work")]);
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "and today my manager shouted at me")]);

        Assert.Single(host.Provider.Requests[^1], m => m.Role == ChatRole.User);
    }

    [Fact]
    public async Task A_history_that_cannot_be_read_is_reported_and_the_turn_still_runs()
    {
        using var host = new TestHost(new FakeChatClient("I'm here. Tell me more."));
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I had a rough week at work")], Wait);
        string conversation = (await host.Store.ListConversationsAsync(null, 10)).Single();
        host.Store.TamperHead(conversation, h => h with { NextSequence = h.NextSequence + 1 });

        ChatResponse response = await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "and today was worse")], Wait);

        TurnReport report = response.Messages[^1].GetTurnReport()!;
        Assert.True(report.HistoryUnavailable);
        Assert.Equal(ReplySource.Provider, report.ReplySource);
        Assert.Single(host.Provider.Requests[^1], m => m.Role == ChatRole.User);
        Assert.Equal(0, report.TurnIndex);
    }

    [Fact]
    public async Task Redacted_history_is_not_redacted_twice_and_names_never_reach_the_model()
    {
        using var host = new TestHost(new FakeChatClient("Thank you for telling me."));
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "My name is Sarah Jones and I feel so alone")], Wait);
        await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "it has been like this for months")], Wait);

        string sent = string.Join("\n", host.Provider.Requests[^1].Select(m => m.Text));
        Assert.DoesNotContain("Sarah", sent, StringComparison.Ordinal);
        Assert.Contains("I feel so alone", sent, StringComparison.Ordinal);
    }
}
