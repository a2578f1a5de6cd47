using System.Collections.Concurrent;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Handoff;

/// <summary>
/// Human takeover in process, with two browser-less clients: the user (the façade and its notices) and operators (the
/// console). The bot never answers while a person holds the conversation, every message is still assessed, stored and
/// escalated, the operator's replies reach the user and the transcript, and each operator action is audited.
/// </summary>
public sealed class TakeoverTests
{
    private const string Crisis = "I have the pills in front of me and I'm going to take them all tonight.";

    private static readonly OperatorIdentity Alex = new("op-alex", "Alex");
    private static readonly OperatorIdentity Sam = new("op-sam", "Sam");

    [Fact]
    public async Task A_person_takes_over_answers_hands_back_and_closes_and_the_bot_is_silent_meanwhile()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        IConversationNotices notices = host.Services.GetRequiredService<IConversationNotices>();
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        var seen = new ConcurrentQueue<ConversationNotice>();
        using var stop = new CancellationTokenSource();
        Task watching = Task.Run(async () =>
        {
            await foreach (ConversationNotice notice in notices.WatchAsync("c-1", stop.Token))
            {
                seen.Enqueue(notice);
            }
        });
        var events = new ConcurrentQueue<OperatorEvent>();
        Task watchingOperators = Task.Run(async () =>
        {
            await foreach (OperatorEvent e in console.WatchAsync(stop.Token))
            {
                events.Enqueue(e);
            }
        });

        // The bot answers until the user asks for a person; the request is answered without the model and queued.
        SupportReply first = await host.Chat.SendAsync("c-1", "work has been awful and I can't sleep");
        Assert.Equal(ReplySource.Provider, first.Report.ReplySource);
        SupportReply asked = await host.Chat.SendAsync("c-1", "can I talk to a real person?");
        Assert.Equal(ReplySource.HumanRequested, asked.Report.ReplySource);
        Assert.Equal(ConversationControl.HumanRequested, asked.Report.Control);
        Assert.Contains("asked for a person", asked.Text, StringComparison.Ordinal);
        Assert.Contains("116 123", asked.Text, StringComparison.Ordinal); // the crisis lines while they wait
        Assert.Equal(1, host.Provider.Calls);
        OperatorQueueItem queued = Assert.Single(await console.GetQueueAsync());
        Assert.Equal(("c-1", OperatorQueueReason.HumanRequested, ConversationControl.HumanRequested), (queued.ConversationId, queued.Reason, queued.Control));

        // Least privilege: nobody reads it before claiming it; once Alex has it, Sam cannot claim, read or take it.
        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.ReadConversationAsync(Sam, "c-1"));
        ConversationControlState claimed = await console.ClaimAsync(Alex, "c-1");
        Assert.Equal("op-alex", claimed.AssignedTo);
        await Assert.ThrowsAsync<ConversationControlException>(async () => await console.ClaimAsync(Sam, "c-1"));
        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.ReadConversationAsync(Sam, "c-1"));
        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.TakeOverAsync(Sam, "c-1"));
        await Assert.ThrowsAsync<ConversationControlException>(async () => await console.ReplyAsync(Alex, "c-1", "not held yet"));

        ConversationControlState held = await console.TakeOverAsync(Alex, "c-1");
        Assert.Equal("op-alex", held.HeldBy);
        await WaitFor(() => seen.Any(n => n.Kind == ConversationNoticeKind.OperatorJoined));
        Assert.Equal("You are now talking with Alex, a person from our team.", seen.Single(n => n.Kind == ConversationNoticeKind.OperatorJoined).Text);

        // While Alex holds it the bot never answers: an ordinary message is relayed with no reply, streaming too, and a
        // crisis message is assessed and escalated and shows the crisis lines, never the bot's words.
        SupportReply relayed = await host.Chat.SendAsync("c-1", "thank you. I just feel so alone");
        Assert.Equal((SupportReplyStatus.RelayedToOperator, ReplySource.RelayedToOperator, ""), (relayed.Status, relayed.Report.ReplySource, relayed.Text));
        Assert.Equal(ConversationControl.Human, relayed.Report.Control);
        Assert.Equal("Alex", relayed.Report.OperatorName);
        Assert.NotNull(relayed.Report.Crisis);
        var streamed = new List<SupportReplyUpdate>();
        await foreach (SupportReplyUpdate update in host.Chat.StreamAsync("c-1", "are you still there?"))
        {
            streamed.Add(update);
        }

        Assert.Equal(SupportReplyStatus.RelayedToOperator, streamed[^1].Completed!.Status);
        Assert.Equal("", string.Concat(streamed.Select(u => u.TextDelta)));
        SupportReply crisis = await host.Chat.SendAsync("c-1", Crisis);
        Assert.Equal(SupportReplyStatus.RelayedToOperator, crisis.Status);
        Assert.True(crisis.Risk.Reaches(RiskLevel.High));
        Assert.StartsWith("Alex has your message.", crisis.Text, StringComparison.Ordinal);
        Assert.Contains("116 123", crisis.Text, StringComparison.Ordinal);
        Assert.NotNull(crisis.Report.Escalation);
        Assert.Equal(1, host.Provider.Calls);
        await WaitFor(() => events.Count(e => e.Kind == OperatorEventKind.UserMessage) == 3 && events.Any(e => e.Kind == OperatorEventKind.Escalated));
        Assert.Contains(events, e => e.Kind == OperatorEventKind.UserMessage && e.Level >= RiskLevel.High);

        // Alex reads the conversation (the user's messages, no bot reply to the relayed ones) and answers.
        IReadOnlyList<TranscriptEntry> read = await console.ReadConversationAsync(Alex, "c-1");
        Assert.Equal(
            [TranscriptRole.User, TranscriptRole.Assistant, TranscriptRole.User, TranscriptRole.Assistant, TranscriptRole.User, TranscriptRole.User, TranscriptRole.User],
            read.Select(e => e.Role));
        Assert.True(read[^1].Risk >= RiskLevel.High);
        TranscriptEntry reply = await console.ReplyAsync(Alex, "c-1", "I'm here with you. Can you put the pills in another room while we talk?");
        Assert.Equal((TranscriptRole.Operator, "op-alex"), (reply.Role, reply.AuthorId));
        await WaitFor(() => seen.Any(n => n.Kind == ConversationNoticeKind.OperatorMessage));
        ConversationNotice message = seen.Single(n => n.Kind == ConversationNoticeKind.OperatorMessage);
        Assert.Equal(("Alex", "I'm here with you. Can you put the pills in another room while we talk?"), (message.OperatorName, message.Text));
        TranscriptEntry stored = (await console.ReadConversationAsync(Alex, "c-1"))[^1];
        Assert.Equal((TranscriptRole.Operator, "op-alex", true), (stored.Role, stored.AuthorId, stored.IsRedacted));

        // The queue shows the escalation first; closing would resolve it. Hand back: the bot answers again, with the history.
        OperatorQueueItem top = (await console.GetQueueAsync())[0];
        Assert.Equal((OperatorQueueReason.Escalation, ConversationControl.Human), (top.Reason, top.Control));
        await console.HandBackAsync(Alex, "c-1");
        await WaitFor(() => seen.Any(n => n.Kind == ConversationNoticeKind.HandedBack));
        SupportReply back = await host.Chat.SendAsync("c-1", "ok, I moved them to the kitchen");
        Assert.Equal(ReplySource.Provider, back.Report.ReplySource);
        Assert.Equal(2, host.Provider.Calls);
        ChatMessage fromOperator = host.Provider.Requests[^1].Single(m => m.AuthorName == "operator");
        Assert.Equal(ChatRole.Assistant, fromOperator.Role);
        Assert.Contains("another room", fromOperator.Text, StringComparison.Ordinal);

        // Alex can still read it after handing back, and closes it: the open escalations are resolved with the outcome.
        _ = await console.ReadConversationAsync(Alex, "c-1");
        ConversationControlState closed = await console.CloseAsync(Alex, "c-1", "safety_plan_made");
        Assert.Equal((ConversationControl.Closed, "safety_plan_made"), (closed.Control, closed.Outcome));
        IEscalationOutbox outbox = host.Services.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.All(await outbox.ListAsync(openOnly: false), e => Assert.Equal(("op-alex", "safety_plan_made"), (e.ResolvedBy, e.Outcome)));
        Assert.Empty(await console.GetQueueAsync());

        // The audit log names each operator action with the operator's id, and the refusals of Sam.
        IReadOnlyList<AuditEntry> audit = await manager.ReadAuditLogAsync(0, 1_000);
        Assert.Equal(
            [AuditKinds.OperatorDenied, AuditKinds.OperatorClaim, AuditKinds.OperatorDenied, AuditKinds.OperatorDenied, AuditKinds.OperatorTakeOver, AuditKinds.Read, AuditKinds.OperatorReply, AuditKinds.Read, AuditKinds.OperatorHandBack, AuditKinds.Read, AuditKinds.OperatorClose],
            audit.Where(e => e.Actor is not null).Select(e => e.Kind));
        Assert.All(audit.Where(e => e.Kind.StartsWith("operator.", StringComparison.Ordinal) && e.Kind != AuditKinds.OperatorDenied), e => Assert.Equal("op-alex", e.Actor));
        Assert.All(audit.Where(e => e.Kind == AuditKinds.OperatorDenied), e => Assert.Equal("op-sam", e.Actor));
        Assert.All(audit, e => Assert.DoesNotContain("pills", e.Detail, StringComparison.Ordinal));
        Assert.True((await manager.VerifyAuditLogAsync()).IsValid);

        await stop.CancelAsync();
        await watching;
        await watchingOperators;
    }

    [Fact]
    public async Task A_request_for_a_person_at_crisis_level_gets_the_crisis_reply_and_is_still_queued()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        SupportReply reply = await host.Chat.SendAsync("c-2", "I need a real person now, " + Crisis);
        Assert.Equal(ReplySource.CrisisResponse, reply.Report.ReplySource);
        Assert.Equal(ConversationControl.HumanRequested, reply.Report.Control);
        OperatorQueueItem item = Assert.Single(await console.GetQueueAsync());
        Assert.Equal((OperatorQueueReason.Escalation, ConversationControl.HumanRequested), (item.Reason, item.Control));
        Assert.True(item.Level >= RiskLevel.High);
        Assert.Equal(0, host.Provider.Calls);
    }

    [Fact]
    public async Task With_hand_over_off_a_request_for_a_person_is_told_honestly_there_is_none()
    {
        using var host = new TestHost(options: o => o.Handoff.Enabled = false);
        SupportReply reply = await host.Chat.SendAsync("c-3", "human please");
        Assert.Equal(ReplySource.HumanRequested, reply.Report.ReplySource);
        Assert.StartsWith("I'm a support bot, and there isn't a person", reply.Text, StringComparison.Ordinal);
        Assert.Contains("116 123", reply.Text, StringComparison.Ordinal);
        Assert.Equal(ConversationControl.Bot, reply.Report.Control);
        Assert.Empty(await host.Services.GetRequiredService<IOperatorConsole>().GetQueueAsync());
    }

    [Fact]
    public async Task An_escalated_conversation_is_claimed_from_the_queue_and_its_escalation_acknowledged()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("c-4", Crisis, new SupportTurnOptions { TenantId = "clinic-a", SubjectId = "user-9" });
        OperatorQueueItem item = Assert.Single(await console.GetQueueAsync());
        Assert.Equal(OperatorQueueReason.Escalation, item.Reason);
        Assert.Equal("clinic-a", (await console.GetControlAsync("c-4"))!.Tenant);
        await console.TakeOverAsync(Alex, "c-4");
        IEscalationOutbox outbox = host.Services.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.Equal("op-alex", (await outbox.GetAsync(item.EscalationId!))!.AcknowledgedBy);

        // The operator reads and writes the conversation in its tenant, under its subject, without being told the subject.
        Assert.Equal(2, (await console.ReadConversationAsync(Alex, "c-4")).Count);
        await console.ReplyAsync(Alex, "c-4", "I'm here.");
        IReadOnlyList<TranscriptEntry> entries = await host.Services.GetRequiredService<ITranscriptManager>().ReadConversationAsync(new TranscriptAddress("clinic-a", "user-9", "c-4"));
        Assert.Equal(TranscriptRole.Operator, entries[^1].Role);
    }

    [Fact]
    public async Task A_conversation_nobody_queued_cannot_be_claimed_or_read()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("c-5", "just a normal day");
        await Assert.ThrowsAsync<ConversationControlException>(async () => await console.ClaimAsync(Alex, "c-5"));
        await Assert.ThrowsAsync<ConversationControlException>(async () => await console.TakeOverAsync(Alex, "c-5"));
        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.ReadConversationAsync(Alex, "c-5"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.ReadConversationAsync(Alex, new string('x', 129)));
    }

    [Fact]
    public async Task An_operator_reply_is_checked_like_a_message()
    {
        using var host = new TestHost(options: o => o.MaxMessageLength = 100);
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("c-6", "can I speak to a human");
        await console.TakeOverAsync(Alex, "c-6");
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.ReplyAsync(Alex, "c-6", "  \u0007 "));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.ReplyAsync(Alex, "c-6", new string('a', 101)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await console.CloseAsync(Alex, "c-6", "free text about the user"));
        // Sanitised as a user's message is: the bidi override goes.
        Assert.Equal("Hello", (await console.ReplyAsync(Alex, "c-6", "Hello\u202e")).Text);
    }

    [Fact]
    public async Task Two_operators_taking_the_same_conversation_at_once_never_both_hold_it()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("c-7", "get me a human");
        Task<ConversationControlState>[] takes = [console.TakeOverAsync(Alex, "c-7").AsTask(), console.TakeOverAsync(Sam, "c-7").AsTask()];
        try
        {
            await Task.WhenAll(takes);
        }
        catch (Exception ex) when (ex is ConversationControlException or OperatorAccessException)
        {
        }

        Assert.Equal(1, takes.Count(t => t.IsCompletedSuccessfully));
        ConversationControlState state = (await console.GetControlAsync("c-7"))!;
        Assert.Equal((await takes.Single(t => t.IsCompletedSuccessfully)).AssignedTo, state.HeldBy);
    }

    [Fact]
    public async Task A_closed_conversation_belongs_to_nobody_and_a_new_request_can_be_claimed_by_another_operator()
    {
        using var host = new TestHost();
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        await host.Chat.SendAsync("c-8", "can I talk to a human");
        await console.TakeOverAsync(Alex, "c-8");
        await console.CloseAsync(Alex, "c-8", "resolved");
        await Assert.ThrowsAsync<ConversationControlException>(async () => await console.ClaimAsync(Sam, "c-8")); // nothing queued

        SupportReply again = await host.Chat.SendAsync("c-8", "can I talk to a real person again please");
        Assert.Equal(ConversationControl.HumanRequested, again.Report.Control);
        OperatorQueueItem item = Assert.Single(await console.GetQueueAsync());
        Assert.Null(item.AssignedTo);
        ConversationControlState taken = await console.TakeOverAsync(Sam, "c-8");
        Assert.Equal("op-sam", taken.HeldBy);
        await Assert.ThrowsAsync<OperatorAccessException>(async () => await console.ReadConversationAsync(Alex, "c-8"));
    }

    [Fact]
    public async Task A_request_whose_state_changed_meanwhile_is_applied_over_the_change()
    {
        var racing = new RacingControls();
        using var host = new TestHost(services: s => s.AddKeyedSingleton<EmpathyKit.Escalation.Storage.IConversationControlStore>(EmpathyKitServiceCollectionExtensions.DefaultName, racing));
        SupportReply reply = await host.Chat.SendAsync("c-9", "can I talk to a real person");
        Assert.Equal(ConversationControl.HumanRequested, reply.Report.Control);
        ConversationControlState stored = (await racing.GetControlAsync("c-9"))!;
        Assert.Equal((ConversationControl.HumanRequested, 2L), (stored.Control, stored.Version));
        Assert.Equal(2, racing.Writes);
    }

    [Fact]
    public void Hand_over_texts_are_checked_at_start()
    {
        using var host = new TestHost(options: o => o.Handoff.OfferReply = "");
        Microsoft.Extensions.Options.OptionsValidationException refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Chat);
        Assert.Contains("OfferReply", refused.Message, StringComparison.Ordinal);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>A control store where another host writes the conversation's row between the turn's read and its write.</summary>
    private sealed class RacingControls : EmpathyKit.Escalation.Storage.IConversationControlStore
    {
        private readonly InMemoryEscalationStore _inner = new();

        public int Writes { get; private set; }

        public ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default) => _inner.GetControlAsync(conversationId, cancellationToken);

        public async ValueTask<bool> TrySetControlAsync(ConversationControlState state, long expectedVersion, CancellationToken cancellationToken = default)
        {
            if (++Writes == 1)
            {
                await _inner.TrySetControlAsync(new ConversationControlState(state.ConversationId, state.Tenant, ConversationControl.Bot, state.ChangedAt), 0, cancellationToken);
            }

            return await _inner.TrySetControlAsync(state, expectedVersion, cancellationToken);
        }

        public ValueTask<IReadOnlyList<ConversationControlState>> ListActiveControlAsync(int limit, CancellationToken cancellationToken = default) => _inner.ListActiveControlAsync(limit, cancellationToken);

        public ValueTask<IReadOnlyList<ConversationControlState>> ListControlAsync(string? afterConversationId, int limit, CancellationToken cancellationToken = default) => _inner.ListControlAsync(afterConversationId, limit, cancellationToken);

        public ValueTask<int> EraseControlAsync(string tenant, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default) => _inner.EraseControlAsync(tenant, conversationIds, cancellationToken);
    }
}
