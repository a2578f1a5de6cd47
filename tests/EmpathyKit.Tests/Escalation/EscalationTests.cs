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
}
