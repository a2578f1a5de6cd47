using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Escalation;

/// <summary>Escalation events: what they carry and the built-in handler's event (failure rules are in FailureRuleTests).</summary>
public sealed class EscalationTests
{
    [Fact]
    public async Task Escalation_events_carry_no_message_text()
    {
        var received = new List<EscalationEvent>();
        using var host = new TestHost(configure: b => b.AddEscalationHandler(_ => new RecordingEscalationHandler(received)));
        await host.Chat.SendAsync("c-esc", "My husband hit me again and I'm hiding in the bathroom");
        EscalationEvent e = Assert.Single(received);
        Assert.Equal("c-esc", e.ConversationId);
        Assert.Contains(CrisisCategory.Abuse, e.Assessment.Categories);
        string dump = System.Text.Json.JsonSerializer.Serialize(e);
        Assert.DoesNotContain("husband", dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bathroom", dump, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_built_in_handler_raises_its_event()
    {
        using var host = new TestHost();
        var handler = host.Services.GetRequiredKeyedService<LoggingEscalationHandler>(EmpathyKitServiceCollectionExtensions.DefaultName);
        EscalationEvent? raised = null;
        handler.Escalated += (_, e) => raised = e;
        SupportReply reply = await host.Chat.SendAsync("c-event", "I want to kill myself");
        Assert.NotNull(raised);
        Assert.Equal(reply.Report.Escalation!.EscalationId, raised!.EscalationId);

        // Logging is not a delivery to a person: with no other channel the escalation waits in the outbox, queued.
        Assert.Equal(EscalationStatus.Queued, reply.Report.Escalation.Status);
        Assert.False(reply.HumanAlerted);
        IEscalationOutbox outbox = host.Services.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        EscalationEntry? entry = await outbox.GetAsync(raised.EscalationId);
        Assert.NotNull(entry);
        Assert.Equal("c-event", entry!.ConversationId);
        Assert.Empty(entry.Deliveries);
    }

    [Fact]
    public async Task Acknowledging_and_resolving_through_the_outbox_are_audited_with_the_persons_id_once()
    {
        var received = new List<EscalationEvent>();
        using var host = new TestHost(configure: b => b.AddEscalationHandler(_ => new RecordingEscalationHandler(received)));
        SupportReply reply = await host.Chat.SendAsync("c-audit", "I want to kill myself tonight");
        string id = reply.Report.Escalation!.EscalationId;
        IEscalationOutbox outbox = host.Services.GetRequiredKeyedService<IEscalationOutbox>(EmpathyKitServiceCollectionExtensions.DefaultName);
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();

        Assert.True(await outbox.AcknowledgeAsync(id, "op-1"));
        Assert.False(await outbox.AcknowledgeAsync(id, "op-2")); // already acknowledged: nothing changes, nothing audited
        Assert.True(await outbox.ResolveAsync(id, "op-1", "referred"));
        Assert.False(await outbox.ResolveAsync(id, "op-1", "referred"));

        IReadOnlyList<AuditEntry> log = await manager.ReadAuditLogAsync(0, 1_000);
        AuditEntry acknowledged = Assert.Single(log, e => e.Kind == AuditKinds.EscalationAcknowledge);
        AuditEntry resolved = Assert.Single(log, e => e.Kind == AuditKinds.EscalationResolve);
        Assert.Equal(("op-1", "op-1"), (acknowledged.Actor, resolved.Actor));
        Assert.Contains(id, acknowledged.Detail, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"referred\"", resolved.Detail, StringComparison.Ordinal);
        Assert.Null(acknowledged.Conversation);
        Assert.True((await manager.VerifyAuditLogAsync()).IsValid);
    }
}
