using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Chat;

public sealed class SupportChatTests
{
    [Fact]
    public async Task First_reply_carries_the_ai_disclosure_and_the_second_does_not()
    {
        using var host = new TestHost();
        SupportReply first = await host.Chat.SendAsync("c1", "hi");
        SupportReply second = await host.Chat.SendAsync("c1", "I had a rough week");
        Assert.Contains(first.Disclaimers, d => d.Kind == DisclaimerKinds.AiDisclosure);
        Assert.DoesNotContain(second.Disclaimers, d => d.Kind == DisclaimerKinds.AiDisclosure);
        Assert.Equal(1, second.Report.TurnIndex);
        // The provider saw the first turn as history, from the transcript.
        Assert.Equal(3, host.Provider.Requests[^1].Count(m => m.Role != ChatRole.System));
    }

    [Fact]
    public async Task Means_seeking_after_earlier_distress_is_a_crisis_through_the_transcript_history()
    {
        using var host = new TestHost();
        SupportReply first = await host.Chat.SendAsync("c-memory", "I'm worthless");
        SupportReply second = await host.Chat.SendAsync("c-memory", "where can I get a gun today");
        Assert.Equal(RiskLevel.Low, first.Risk.Level);
        Assert.True(second.Risk.Level >= RiskLevel.High);
        Assert.Contains(CrisisSignals.ConversationMemory, second.Risk.Signals);
        Assert.Equal(1, host.Provider.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u0000\u0007\u001b")]
    [InlineData(null)]
    public async Task Empty_messages_get_a_clear_status_and_store_nothing(string? message)
    {
        using var host = new TestHost();
        SupportReply reply = await host.Chat.SendAsync("c-empty", message!);
        Assert.Equal(SupportReplyStatus.EmptyMessage, reply.Status);
        Assert.False(string.IsNullOrWhiteSpace(reply.Text));
        Assert.Equal(0, host.Store.Count);
        Assert.Equal(0, host.Provider.Calls);
    }

    [Fact]
    public async Task Over_long_messages_are_stored_and_answered_safely_without_the_provider()
    {
        using var host = new TestHost(options: o => o.MaxMessageLength = 100);
        SupportReply reply = await host.Chat.SendAsync("c-long", string.Join(' ', Enumerable.Repeat("work has been a lot lately", 20)), new SupportTurnOptions { WaitForTranscript = true });
        Assert.Equal(SupportReplyStatus.MessageTooLong, reply.Status);
        Assert.True(reply.Report.TranscriptWritten);
        Assert.Equal(0, host.Provider.Calls);
        Assert.Equal(2, host.Store.Count);
    }

    [Fact]
    public async Task A_damaged_record_is_read_around_and_reported_and_the_conversation_goes_on()
    {
        using var host = new TestHost();
        var wait = new SupportTurnOptions { WaitForTranscript = true };
        SupportReply first = await host.Chat.SendAsync("c-damaged", "I had a rough week at work", wait);
        Assert.Equal(0, first.Report.UnreadableHistoryRecords);

        // The first stored record (the user's message) is damaged: the next turn reads around it and says so.
        string conversation = (await host.Store.ListConversationsAsync(null, 10)).Single();
        host.Store.Tamper(conversation, 0, r =>
        {
            byte[] payload = r.Payload.ToArray();
            payload[^1] ^= 1;
            return r with { Payload = payload };
        });
        SupportReply second = await host.Chat.SendAsync("c-damaged", "and today was worse", wait);
        Assert.Equal(1, second.Report.UnreadableHistoryRecords);
        Assert.False(second.Report.HistoryUnavailable);
        Assert.Equal(ReplySource.Provider, second.Report.ReplySource);
        Assert.True(second.Report.TranscriptWritten);
        IReadOnlyList<ChatMessage> seen = host.Provider.Requests[^1];
        Assert.DoesNotContain(seen, m => m.Text.Contains("rough week", StringComparison.Ordinal));
        Assert.Contains(seen, m => m.Role == ChatRole.Assistant);

        // What was written after the damage stays readable, and verify still names the damaged record.
        SupportReply third = await host.Chat.SendAsync("c-damaged", "thanks for listening", wait);
        Assert.Equal(1, third.Report.UnreadableHistoryRecords);
        Assert.Contains(host.Provider.Requests[^1], m => m.Text.Contains("today was worse", StringComparison.Ordinal));
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        IntegrityReport report = await manager.VerifyIntegrityAsync(decrypt: true);
        Assert.Equal([(0L, IntegrityProblemKind.Undecryptable)], report.Problems.Select(p => (p.Sequence, p.Kind)));
    }

    [Fact]
    public async Task A_removed_record_is_read_around_as_a_gap()
    {
        using var host = new TestHost();
        var wait = new SupportTurnOptions { WaitForTranscript = true };
        _ = await host.Chat.SendAsync("c-gap", "first message", wait);
        _ = await host.Chat.SendAsync("c-gap", "second message", wait);
        string conversation = (await host.Store.ListConversationsAsync(null, 10)).Single();
        host.Store.Tamper(conversation, 2, _ => null);
        SupportReply reply = await host.Chat.SendAsync("c-gap", "third message", wait);
        Assert.Equal(1, reply.Report.UnreadableHistoryRecords);
        Assert.Contains(host.Provider.Requests[^1], m => m.Text.Contains("first message", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Provider.Requests[^1], m => m.Text.Contains("second message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_turn_whose_history_cannot_be_read_at_all_says_so_on_its_report()
    {
        using var host = new TestHost();
        var wait = new SupportTurnOptions { WaitForTranscript = true };
        SupportReply first = await host.Chat.SendAsync("c-head", "I had a rough week at work", wait);
        Assert.False(first.Report.HistoryUnavailable);

        // The conversation's head is altered (its checkpoint fails): nothing of it can be trusted, so none is read.
        string conversation = (await host.Store.ListConversationsAsync(null, 10)).Single();
        host.Store.TamperHead(conversation, h => h with { NextSequence = h.NextSequence + 1 });
        SupportReply second = await host.Chat.SendAsync("c-head", "and today was worse", wait);
        Assert.True(second.Report.HistoryUnavailable);
        Assert.Equal(ReplySource.Provider, second.Report.ReplySource);
    }

    [Fact]
    public async Task Over_long_messages_are_still_assessed_for_crisis()
    {
        using var host = new TestHost(options: o => o.MaxMessageLength = 100);
        string message = string.Join(' ', Enumerable.Repeat("everything is going wrong", 10)) + ". I'm going to kill myself tonight.";
        SupportReply reply = await host.Chat.SendAsync("c-long-crisis", message);
        Assert.Equal(ReplySource.CrisisResponse, reply.Report.ReplySource);
        Assert.Equal(EscalationStatus.Queued, reply.Report.Escalation!.Status); // written to the outbox (no channel configured)
    }

    [Fact]
    public async Task Control_characters_are_removed_and_reported()
    {
        using var host = new TestHost();
        SupportReply reply = await host.Chat.SendAsync("c-ctl", "I feel \u202Eodd\u0007 today\u200B");
        Assert.True(reply.Report.InputSanitized);
        Assert.Equal("I feel odd today", host.Provider.Requests[^1][^1].Text);
    }

    [Fact]
    public async Task A_failing_provider_gives_a_safe_reply_and_keeps_the_users_message()
    {
        var provider = new FakeChatClient("unused") { Throw = new HttpRequestException("down") };
        using var host = new TestHost(provider);
        SupportReply reply = await host.Chat.SendAsync("c-fail", "I had a rough day");
        Assert.Equal(SupportReplyStatus.Failed, reply.Status);
        Assert.Contains("crisis line", reply.Text, StringComparison.Ordinal);
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync("c-fail", 10);
        TranscriptEntry entry = Assert.Single(entries);
        Assert.Equal(TranscriptRole.User, entry.Role);
        Assert.Equal("I had a rough day", entry.Text);
    }

    [Fact]
    public async Task A_failing_provider_while_streaming_ends_with_a_safe_reply()
    {
        var provider = new FakeChatClient("unused") { Throw = new HttpRequestException("down") };
        using var host = new TestHost(provider);
        SupportReply? completed = null;
        await foreach (SupportReplyUpdate update in host.Chat.StreamAsync("c-fail-stream", "I had a rough day"))
        {
            completed ??= update.Completed;
        }

        Assert.Equal(SupportReplyStatus.Failed, completed!.Status);
        Assert.Single(await host.Transcripts.ReadAsync("c-fail-stream", 10));
    }

    [Fact]
    public async Task Streaming_and_send_give_the_same_reply()
    {
        using var a = new TestHost();
        using var b = new TestHost();
        SupportReply sent = await a.Chat.SendAsync("c-s", "hello, my number is 07911 654321");
        var text = new System.Text.StringBuilder();
        SupportReply? streamed = null;
        await foreach (SupportReplyUpdate update in b.Chat.StreamAsync("c-s", "hello, my number is 07911 654321"))
        {
            text.Append(update.TextDelta);
            streamed ??= update.Completed;
        }

        Assert.Equal(sent.Text, text.ToString());
        Assert.Equal(sent.Text, streamed!.Text);
        Assert.Equal(sent.Disclaimers, streamed.Disclaimers);
    }

    [Fact]
    public async Task Stored_user_text_is_redacted_by_default()
    {
        using var host = new TestHost();
        await host.Chat.SendAsync("c-red", "my email is maria@example.com");
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync("c-red", 10);
        Assert.Equal("my email is [EMAIL_1]", entries[0].Text);
    }

    [Fact]
    public async Task Original_text_is_stored_when_the_host_opts_in()
    {
        using var host = new TestHost(options: o => o.StoreOriginalText = true);
        await host.Chat.SendAsync("c-orig", "my email is maria@example.com");
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync("c-orig", 10);
        Assert.Equal("my email is maria@example.com", entries[0].Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a\nb")]
    public async Task Malformed_conversation_ids_are_a_clear_argument_error(string id)
    {
        using var host = new TestHost();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => host.Chat.SendAsync(id, "hello"));
    }

    [Fact]
    public async Task History_is_limited_to_the_configured_size()
    {
        using var host = new TestHost(options: o => o.MaxHistoryMessages = 4);
        for (int i = 0; i < 5; i++)
        {
            await host.Chat.SendAsync("c-hist", $"message number {i}");
        }

        IReadOnlyList<ChatMessage> last = host.Provider.Requests[^1];
        Assert.Equal(5, last.Count(m => m.Role != ChatRole.System));
        Assert.Equal("message number 4", last[^1].Text);
    }
}
