using EmpathyKit.Escalation.Storage;
using EmpathyKit.Handoff;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Handoff;

/// <summary>
/// "Delete my data" reaches the escalation store: a subject's erasure removes the escalations (ids and assessments)
/// and control states (operator ids, outcome) of its conversations, leaves everyone else's, and never cancels an alert
/// that has not reached a human yet.
/// </summary>
public sealed class SubjectErasureTests
{
    private const string Crisis = "I have the pills in front of me and I'm going to take them all tonight.";
    private static readonly OperatorIdentity Alex = new("op-alex", "Alex");

    [Fact]
    public async Task Erasing_a_subject_removes_its_escalations_and_control_states_and_leaves_everyone_elses()
    {
        var received = new List<EscalationEvent>();
        using var host = new TestHost(configure: b => b.AddEscalationHandler(_ => new RecordingEscalationHandler(received)));
        IOperatorConsole console = host.Services.GetRequiredService<IOperatorConsole>();
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        IEscalationStore store = ((IEscalationStoreSource)host.Store).GetEscalationStore();
        var controls = (IConversationControlStore)store;
        var erased = new SupportTurnOptions { SubjectId = "user-erase" };
        var kept = new SupportTurnOptions { SubjectId = "user-keep" };

        // The subject's two conversations: one escalated and taken over by an operator, one asking for a person.
        SupportReply crisis = await host.Chat.SendAsync("erase-1", Crisis, erased);
        Assert.Equal(EscalationStatus.Delivered, crisis.Report.Escalation!.Status);
        await console.TakeOverAsync(Alex, "erase-1");
        await host.Chat.SendAsync("erase-2", "can I talk to a real person", erased);
        await host.Chat.SendAsync("keep-1", Crisis, kept);
        await host.Chat.SendAsync("keep-2", "can I talk to a real person", kept);
        Assert.Equal(["erase-1", "keep-1"], (await store.ListAsync(openOnly: false, 100)).Select(e => e.ConversationId).Order(StringComparer.Ordinal));

        ErasureCertificate certificate = await manager.EraseSubjectAsync(TranscriptAddress.DefaultTenant, "user-erase", actor: "dpo");

        Assert.Equal((2, 1, 0, 2), (certificate.Conversations, certificate.Escalations, certificate.EscalationsAwaitingDelivery, certificate.ConversationStates));
        Assert.Equal(["keep-1"], (await store.ListAsync(openOnly: false, 100)).Select(e => e.ConversationId));
        Assert.Null(await controls.GetControlAsync("erase-1"));
        Assert.Null(await controls.GetControlAsync("erase-2"));
        Assert.NotNull(await controls.GetControlAsync("keep-1"));
        Assert.NotNull(await controls.GetControlAsync("keep-2"));
        IReadOnlyList<OperatorQueueItem> queue = await console.GetQueueAsync();
        Assert.DoesNotContain(queue, q => q.ConversationId.StartsWith("erase-", StringComparison.Ordinal));
        Assert.Contains(queue, q => q.ConversationId == "keep-1");
        Assert.Contains(queue, q => q.ConversationId == "keep-2");

        // The certificate's audit entry says what left the outbox, with no conversation id.
        AuditEntry audit = (await manager.ReadAuditLogAsync(0, 1_000)).Single(e => e.Kind == AuditKinds.Erase);
        Assert.Contains("\"escalations\":1", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("\"conversationStates\":2", audit.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("erase-", audit.Detail, StringComparison.Ordinal);

        // Asked again, there is nothing left; the other subject is untouched.
        ErasureCertificate again = await manager.EraseSubjectAsync(TranscriptAddress.DefaultTenant, "user-erase");
        Assert.Equal((0, 0, 0), (again.Escalations, again.EscalationsAwaitingDelivery, again.ConversationStates));
        Assert.Equal(2, (await manager.ListConversationsAsync(TranscriptAddress.DefaultTenant, "user-keep")).Count);
    }

    [Fact]
    public async Task An_alert_not_yet_delivered_when_its_subject_is_erased_still_reaches_a_human_and_is_deleted_after()
    {
        var received = new List<EscalationEvent>();
        var channel = new GatedHandler(new RecordingEscalationHandler(received));
        using var host = new TestHost(
            configure: b => b.AddEscalationHandler(_ => channel),
            options: o =>
            {
                o.Escalations.WaitForDelivery = TimeSpan.FromMilliseconds(200);
                o.Escalations.QuickRetries = 0;
                o.Escalations.FirstRetryDelay = TimeSpan.FromSeconds(1);
                o.Escalations.MaxRetryDelay = TimeSpan.FromSeconds(1);
            });
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        IEscalationStore store = ((IEscalationStoreSource)host.Store).GetEscalationStore();

        SupportReply crisis = await host.Chat.SendAsync("late-1", Crisis, new SupportTurnOptions { SubjectId = "user-late" });
        string id = crisis.Report.Escalation!.EscalationId;
        Assert.Equal(EscalationStatus.Queued, crisis.Report.Escalation.Status);

        ErasureCertificate certificate = await manager.EraseSubjectAsync(TranscriptAddress.DefaultTenant, "user-late");
        Assert.Equal((0, 1), (certificate.Escalations, certificate.EscalationsAwaitingDelivery));
        EscalationEntry waiting = (await store.GetAsync(id))!;
        Assert.NotNull(waiting.ErasureRequestedAt);
        Assert.DoesNotContain(await host.Services.GetRequiredService<IOperatorConsole>().GetQueueAsync(), q => q.ConversationId == "late-1");

        channel.Open();
        DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while ((await store.GetAsync(id)) is not null && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Null(await store.GetAsync(id));
        lock (received)
        {
            EscalationEvent alert = Assert.Single(received);
            Assert.Equal(id, alert.EscalationId);
        }
    }

    [Fact]
    public async Task A_subject_whose_data_key_is_gone_is_still_erased_though_its_escalations_cannot_be_found()
    {
        string dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "erase-nokey-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string db = Path.Combine(dir, "t.db");
        string key = Path.Combine(dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddEmpathyKit(o => o.Country = "GB").UseOfflineResponder().UseSqliteTranscripts(db).UseKeyFile(key);
            return services.BuildServiceProvider();
        }

        await using (ServiceProvider first = Build())
        {
            await first.GetRequiredService<ISupportChat>().SendAsync("nokey-1", Crisis, new SupportTurnOptions { SubjectId = "user-nokey", WaitForTranscript = true });
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM ek_subject_keys";
            Assert.Equal(1, delete.ExecuteNonQuery());
        }

        await using ServiceProvider second = Build();
        ErasureCertificate certificate = await second.GetRequiredService<ITranscriptManager>().EraseSubjectAsync(TranscriptAddress.DefaultTenant, "user-nokey");
        Assert.Equal((1, 0, 0), (certificate.Conversations, certificate.Escalations, certificate.ConversationStates));
        Assert.False(certificate.KeyDestroyed);
        Assert.Single(await second.GetRequiredKeyedService<IEscalationStore>(EmpathyKitServiceCollectionExtensions.DefaultName).ListAsync(openOnly: false, 10)); // left, and logged
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>A channel that refuses every call until it is opened.</summary>
    private sealed class GatedHandler(IEscalationHandler inner) : IEscalationHandler
    {
        private volatile bool _open;

        public void Open() => _open = true;

        public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default) =>
            _open ? inner.EscalateAsync(escalation, cancellationToken) : throw new HttpRequestException("receiver down");
    }
}
