using EmpathyKit.Escalation.Storage;
using EmpathyKit.Tests.Transcripts;
using Npgsql;

namespace EmpathyKit.Tests.Escalation;

/// <summary>
/// The escalation stores behave alike: the in-memory store (the reference), SQLite (in the transcripts' file) and
/// PostgreSQL (in the transcripts' schema, as the restricted application role).
/// </summary>
public sealed class EscalationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ek-esc-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _owned = [];
    private readonly List<string> _schemas = [];

    public static TheoryData<string> Cases => new(Enum.GetNames<Case>());

    public enum Case
    {
        Adds_reads_and_lists_newest_first,
        Refuses_a_second_add_with_the_same_id,
        Leases_only_due_deliveries_and_not_twice,
        An_expired_lease_is_taken_again_and_the_old_holder_cannot_complete,
        Records_outcomes_and_computes_the_status,
        Acknowledges_and_resolves_once,
        Next_due_is_the_earliest_pending,
        Re_raises_what_nobody_acknowledged_in_time,
        Control_states_round_trip_by_version,
        Control_changes_lose_races_cleanly,
        Lists_only_active_control_states,
        Erasure_deletes_finished_escalations_and_keeps_pending_ones_until_delivered,
        Erasure_of_control_states_keeps_other_tenants_and_conversations,
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task In_memory(string @case) => RunAsync(@case, new InMemoryEscalationStore());

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Sqlite_in_the_transcripts_file(string @case)
    {
        var transcripts = new SqliteTranscriptStore(Path.Combine(_directory, "t.db"));
        _owned.Add(transcripts);
        return RunAsync(@case, transcripts.GetEscalationStore());
    }

    [PostgresTheory]
    [MemberData(nameof(Cases))]
    public async Task PostgreSql_as_the_application_role(string @case)
    {
        string owner = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES")!;
        string app = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES_APP")!;
        string schema = "ekt_" + Guid.NewGuid().ToString("N")[..16];
        await PostgreSqlTranscriptStore.CreateSchemaAsync(owner, schema, new NpgsqlConnectionStringBuilder(app).Username);
        _schemas.Add(schema);
        var transcripts = new PostgreSqlTranscriptStore(app, schema, createSchema: false);
        _owned.Add(transcripts);
        await RunAsync(@case, transcripts.GetEscalationStore());
    }

    [Fact]
    public async Task A_sqlite_escalation_survives_reopening_the_file()
    {
        string path = Path.Combine(_directory, "reopen.db");
        Assert.True(await new SqliteEscalationStore(path).AddAsync(Entry("e-1", T0, "pager")));
        EscalationEntry? again = await new SqliteEscalationStore(path).GetAsync("e-1");
        Assert.NotNull(again);
        Assert.Equal(EscalationStatus.Queued, again!.Status);
    }

    [Fact]
    public async Task A_sqlite_file_from_before_re_raising_and_erasure_is_brought_up_to_date_with_its_rows_kept()
    {
        string path = Path.Combine(_directory, "old.db");
        Directory.CreateDirectory(_directory);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE ek_escalations (
                    id TEXT PRIMARY KEY, conversation TEXT NOT NULL, occurred INTEGER NOT NULL, level INTEGER NOT NULL, rung INTEGER NOT NULL,
                    categories TEXT NOT NULL, signals TEXT NOT NULL, constructs TEXT NOT NULL,
                    acknowledged INTEGER, acknowledged_by TEXT, resolved INTEGER, resolved_by TEXT, outcome TEXT);
                CREATE TABLE ek_escalation_deliveries (
                    escalation TEXT NOT NULL, ordinal INTEGER NOT NULL, channel TEXT NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL,
                    next_attempt INTEGER NOT NULL, delivered INTEGER, last_error TEXT, lease_id TEXT, lease_until INTEGER,
                    PRIMARY KEY (escalation, channel));
                INSERT INTO ek_escalations VALUES ('old-1', 'c-old', 638000000000000000, 4, 3, 'Suicidal', 'means_at_hand', 'lethal_means', NULL, NULL, NULL, NULL, NULL);
                INSERT INTO ek_escalation_deliveries VALUES ('old-1', 0, 'webhook', 1, 1, 638000000000000000, 638000000000000000, NULL, NULL, NULL);
                """;
            create.ExecuteNonQuery();
        }

        var store = new SqliteEscalationStore(path);
        EscalationEntry old1 = (await store.GetAsync("old-1"))!;
        Assert.Equal((0, (DateTimeOffset?)null, EscalationStatus.Delivered), (old1.ReRaises, old1.ErasureRequestedAt, old1.Status));
        Assert.True(await store.AddAsync(Entry("new-1", T0, "webhook")));
        Assert.Equal(new EscalationErasure(1, 0), await store.EraseConversationsAsync(["c-old"], T0));
        Assert.Null(await store.GetAsync("old-1"));
        Assert.NotNull(await new SqliteEscalationStore(path).GetAsync("new-1"));
    }

    [Fact]
    public async Task Entries_that_cannot_be_stored_are_refused_clearly()
    {
        var store = new InMemoryEscalationStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AddAsync(Entry(new string('x', 129), T0)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AddAsync(Entry("e", T0, "a", "a")));
        EscalationEntry delivered = Entry("e", T0, "a");
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AddAsync(delivered with { Deliveries = [delivered.Deliveries[0] with { State = EscalationDeliveryState.Delivered }] }));
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        if (_schemas.Count > 0 && Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES") is { Length: > 0 } owner)
        {
            using var connection = new NpgsqlConnection(owner);
            connection.Open();
            foreach (string schema in _schemas)
            {
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                drop.ExecuteNonQuery();
            }
        }
    }

    internal static EscalationEntry Entry(string id, DateTimeOffset at, params string[] channels) => new(
        id,
        "c-" + id,
        at,
        new CrisisAssessment(RiskLevel.Imminent, [CrisisCategory.Suicidal, CrisisCategory.SelfHarm], ["means_at_hand", "time,now"]) { Rung = CrisisRung.Preparation, Constructs = ["lethal_means"] },
        [.. channels.Select(c => new EscalationDelivery(c, EscalationDeliveryState.Pending, 0, at, null, null))]);

    private static async Task RunAsync(string @case, IEscalationStore store)
    {
        switch (Enum.Parse<Case>(@case))
        {
            case Case.Adds_reads_and_lists_newest_first:
                Assert.True(await store.AddAsync(Entry("e-1", T0, "webhook", "pager")));
                Assert.True(await store.AddAsync(Entry("e-2", T0.AddMinutes(1), "webhook")));
                EscalationEntry read = (await store.GetAsync("e-1"))!;
                Assert.Equal("c-e-1", read.ConversationId);
                Assert.Equal(T0, read.OccurredAt);
                Assert.Equal(RiskLevel.Imminent, read.Assessment.Level);
                Assert.Equal(CrisisRung.Preparation, read.Assessment.Rung);
                Assert.Equal([CrisisCategory.Suicidal, CrisisCategory.SelfHarm], read.Assessment.Categories);
                Assert.Equal(["means_at_hand", "time_now"], read.Assessment.Signals); // a comma inside a name is kept as '_'
                Assert.Equal(["lethal_means"], read.Assessment.Constructs);
                Assert.Equal(["webhook", "pager"], read.Deliveries.Select(d => d.Channel));
                Assert.All(read.Deliveries, d => Assert.Equal((EscalationDeliveryState.Pending, 0), (d.State, d.Attempts)));
                Assert.Equal(["e-2", "e-1"], (await store.ListAsync(openOnly: true, limit: 10)).Select(e => e.EscalationId));
                Assert.Equal(["e-2"], (await store.ListAsync(openOnly: false, limit: 1)).Select(e => e.EscalationId));
                Assert.Null(await store.GetAsync("missing"));
                break;

            case Case.Refuses_a_second_add_with_the_same_id:
                Assert.True(await store.AddAsync(Entry("e-1", T0, "webhook")));
                Assert.False(await store.AddAsync(Entry("e-1", T0.AddHours(1), "other")));
                Assert.Equal(["webhook"], (await store.GetAsync("e-1"))!.Deliveries.Select(d => d.Channel));
                break;

            case Case.Leases_only_due_deliveries_and_not_twice:
                await store.AddAsync(Entry("e-1", T0, "a", "b"));
                await store.AddAsync(Entry("e-2", T0.AddMinutes(10), "a"));
                Assert.Empty(await store.LeaseDueAsync(T0.AddSeconds(-1), TimeSpan.FromMinutes(1), 10));
                IReadOnlyList<DeliveryLease> first = await store.LeaseDueAsync(T0, TimeSpan.FromMinutes(1), 10);
                Assert.Equal([("e-1", "a"), ("e-1", "b")], first.Select(l => (l.Escalation.EscalationId, l.Channel)).Order());
                Assert.Equal(T0.AddMinutes(1), first[0].LeasedUntil);
                Assert.Empty(await store.LeaseDueAsync(T0.AddSeconds(30), TimeSpan.FromMinutes(1), 10));
                Assert.Single(await store.LeaseDueAsync(T0.AddMinutes(10), TimeSpan.FromMinutes(1), 1)); // e-2, now due; e-1's leases ran out too, but max is 1
                break;

            case Case.An_expired_lease_is_taken_again_and_the_old_holder_cannot_complete:
                await store.AddAsync(Entry("e-1", T0, "a"));
                DeliveryLease old = (await store.LeaseDueAsync(T0, TimeSpan.FromMinutes(1), 10)).Single();
                DeliveryLease taken = (await store.LeaseDueAsync(T0.AddMinutes(1), TimeSpan.FromMinutes(1), 10)).Single();
                Assert.NotEqual(old.LeaseId, taken.LeaseId);
                Assert.False(await store.CompleteAsync(old, Delivered(old, T0.AddMinutes(1))));
                Assert.True(await store.CompleteAsync(taken, Delivered(taken, T0.AddMinutes(1))));
                Assert.False(await store.CompleteAsync(taken, Delivered(taken, T0.AddMinutes(1)))); // released
                Assert.Equal(EscalationDeliveryState.Delivered, (await store.GetAsync("e-1"))!.Deliveries[0].State);
                break;

            case Case.Records_outcomes_and_computes_the_status:
                await store.AddAsync(Entry("e-1", T0, "a", "b"));
                IReadOnlyList<DeliveryLease> leases = await store.LeaseDueAsync(T0, TimeSpan.FromMinutes(1), 10);
                DeliveryLease a = leases.Single(l => l.Channel == "a");
                DeliveryLease b = leases.Single(l => l.Channel == "b");
                Assert.True(await store.CompleteAsync(a, new EscalationDelivery("a", EscalationDeliveryState.Pending, 3, T0.AddMinutes(5), null, "HttpRequestException")));
                Assert.True(await store.CompleteAsync(b, new EscalationDelivery("b", EscalationDeliveryState.DeadLettered, 12, T0, null, "TimeoutException")));
                EscalationEntry mixed = (await store.GetAsync("e-1"))!;
                Assert.Equal(EscalationStatus.Queued, mixed.Status);
                Assert.Equal((3, "HttpRequestException", T0.AddMinutes(5)), (mixed.Deliveries[0].Attempts, mixed.Deliveries[0].LastError, mixed.Deliveries[0].NextAttemptAt));
                Assert.Empty(await store.LeaseDueAsync(T0.AddMinutes(4), TimeSpan.FromMinutes(1), 10)); // a is not due yet; b is dead
                DeliveryLease again = (await store.LeaseDueAsync(T0.AddMinutes(5), TimeSpan.FromMinutes(1), 10)).Single();
                Assert.Equal(("a", 3), (again.Channel, again.Attempts));
                Assert.True(await store.CompleteAsync(again, new EscalationDelivery("a", EscalationDeliveryState.DeadLettered, 12, T0.AddMinutes(5), null, "HttpRequestException")));
                Assert.Equal(EscalationStatus.DeadLettered, (await store.GetAsync("e-1"))!.Status);
                await store.AddAsync(Entry("e-2", T0, "a"));
                DeliveryLease d = (await store.LeaseDueAsync(T0, TimeSpan.FromMinutes(1), 10)).Single();
                Assert.True(await store.CompleteAsync(d, Delivered(d, T0.AddSeconds(2))));
                EscalationEntry delivered = (await store.GetAsync("e-2"))!;
                Assert.Equal(EscalationStatus.Delivered, delivered.Status);
                Assert.Equal(T0.AddSeconds(2), delivered.Deliveries[0].DeliveredAt);
                break;

            case Case.Acknowledges_and_resolves_once:
                await store.AddAsync(Entry("e-1", T0, "a"));
                await store.AddAsync(Entry("e-2", T0.AddMinutes(1), "a"));
                Assert.True(await store.AcknowledgeAsync("e-1", "op-1", T0.AddMinutes(2)));
                Assert.False(await store.AcknowledgeAsync("e-1", "op-2", T0.AddMinutes(3)));
                Assert.False(await store.AcknowledgeAsync("missing", "op-1", T0));
                EscalationEntry acked = (await store.GetAsync("e-1"))!;
                Assert.Equal((EscalationStatus.Acknowledged, "op-1", T0.AddMinutes(2)), (acked.Status, acked.AcknowledgedBy, acked.AcknowledgedAt!.Value));
                Assert.True(await store.ResolveAsync("e-2", "op-2", "referred", T0.AddMinutes(4)));
                Assert.False(await store.ResolveAsync("e-2", "op-1", "other", T0.AddMinutes(5)));
                Assert.False(await store.AcknowledgeAsync("e-2", "op-1", T0.AddMinutes(5)));
                EscalationEntry resolved = (await store.GetAsync("e-2"))!;
                Assert.Equal((EscalationStatus.Resolved, "op-2", "op-2", "referred"), (resolved.Status, resolved.AcknowledgedBy, resolved.ResolvedBy, resolved.Outcome));
                Assert.Equal(["e-1"], (await store.ListAsync(openOnly: true, limit: 10)).Select(e => e.EscalationId));
                Assert.Equal(["e-2", "e-1"], (await store.ListAsync(openOnly: false, limit: 10)).Select(e => e.EscalationId));
                break;

            case Case.Re_raises_what_nobody_acknowledged_in_time:
                await store.AddAsync(Entry("e-1", T0, "a"));
                await store.AddAsync(Entry("e-2", T0.AddMinutes(1), "a"));
                await store.AddAsync(Entry("e-3", T0, "a"));
                await store.AcknowledgeAsync("e-3", "op", T0);
                Assert.Empty(await store.ReRaiseDueAsync(T0.AddMinutes(4), TimeSpan.FromMinutes(5), 2, ["pager"]));
                IReadOnlyList<EscalationEntry> reRaised = await store.ReRaiseDueAsync(T0.AddMinutes(5), TimeSpan.FromMinutes(5), 2, ["pager", "sms"]);
                EscalationEntry e1 = Assert.Single(reRaised);
                Assert.Equal(("e-1", 1, T0.AddMinutes(5)), (e1.EscalationId, e1.ReRaises, e1.LastReRaisedAt!.Value));
                Assert.Equal(["a", "pager@1", "sms@1"], e1.Deliveries.Select(d => d.Channel));
                Assert.All(e1.Deliveries.Skip(1), d => Assert.Equal((EscalationDeliveryState.Pending, 0, T0.AddMinutes(5)), (d.State, d.Attempts, d.NextAttemptAt)));
                Assert.Equal(3, (await store.LeaseDueAsync(T0.AddMinutes(5), TimeSpan.FromMinutes(1), 10)).Count(l => l.Escalation.EscalationId == "e-1"));
                Assert.Equal(["e-2"], (await store.ReRaiseDueAsync(T0.AddMinutes(6), TimeSpan.FromMinutes(5), 2, ["pager"])).Select(e => e.EscalationId));
                Assert.Empty(await store.ReRaiseDueAsync(T0.AddMinutes(9), TimeSpan.FromMinutes(5), 2, ["pager"]));
                Assert.Equal(["e-1"], (await store.ReRaiseDueAsync(T0.AddMinutes(10), TimeSpan.FromMinutes(5), 2, ["pager"])).Select(e => e.EscalationId));
                Assert.Equal(2, (await store.GetAsync("e-1"))!.ReRaises);
                Assert.DoesNotContain("e-1", (await store.ReRaiseDueAsync(T0.AddHours(1), TimeSpan.FromMinutes(5), 2, ["pager"])).Select(e => e.EscalationId)); // at most two
                break;

            case Case.Next_due_is_the_earliest_pending:
                Assert.Null(await store.NextDueAsync());
                await store.AddAsync(Entry("e-1", T0.AddMinutes(3), "a"));
                await store.AddAsync(Entry("e-2", T0.AddMinutes(1), "a"));
                Assert.Equal(T0.AddMinutes(1), await store.NextDueAsync());
                DeliveryLease held = (await store.LeaseDueAsync(T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10)).Single();
                Assert.Equal(T0.AddMinutes(3), await store.NextDueAsync()); // the held one is due at its lease's end, later
                Assert.True(await store.CompleteAsync(held, Delivered(held, T0.AddMinutes(1))));
                Assert.Equal(T0.AddMinutes(3), await store.NextDueAsync());
                break;

            case Case.Control_states_round_trip_by_version:
            {
                var controls = (IConversationControlStore)store;
                Assert.Null(await controls.GetControlAsync("c-1"));
                var requested = new ConversationControlState("c-1", "tenant-a", ConversationControl.HumanRequested, T0) { RequestedAt = T0 };
                Assert.True(await controls.TrySetControlAsync(requested, 0));
                ConversationControlState stored = (await controls.GetControlAsync("c-1"))!;
                Assert.Equal(requested with { Version = 1 }, stored);
                ConversationControlState heldState = stored with { Control = ConversationControl.Human, AssignedTo = "op-1", OperatorName = "Alex", ChangedAt = T0.AddMinutes(1) };
                Assert.True(await controls.TrySetControlAsync(heldState, 1));
                ConversationControlState reread = (await controls.GetControlAsync("c-1"))!;
                Assert.Equal(heldState with { Version = 2 }, reread);
                Assert.Equal("op-1", reread.HeldBy);
                ConversationControlState closed = reread with { Control = ConversationControl.Closed, Outcome = "referred", RequestedAt = null, ChangedAt = T0.AddMinutes(2) };
                Assert.True(await controls.TrySetControlAsync(closed, 2));
                Assert.Equal(closed with { Version = 3 }, await controls.GetControlAsync("c-1"));
                Assert.Null((await controls.GetControlAsync("c-1"))!.HeldBy);
                break;
            }

            case Case.Control_changes_lose_races_cleanly:
            {
                var controls = (IConversationControlStore)store;
                var row = new ConversationControlState("c-2", "default", ConversationControl.Bot, T0);
                Assert.True(await controls.TrySetControlAsync(row, 0));
                Assert.False(await controls.TrySetControlAsync(row with { AssignedTo = "op-2" }, 0)); // a second insert
                Assert.True(await controls.TrySetControlAsync(row with { AssignedTo = "op-1" }, 1));
                Assert.False(await controls.TrySetControlAsync(row with { AssignedTo = "op-2" }, 1)); // read before op-1 won
                Assert.Equal("op-1", (await controls.GetControlAsync("c-2"))!.AssignedTo);

                // Two operators at once: exactly one wins.
                bool[] won = await Task.WhenAll(
                    controls.TrySetControlAsync(row with { Control = ConversationControl.Human, AssignedTo = "op-1" }, 2).AsTask(),
                    controls.TrySetControlAsync(row with { Control = ConversationControl.Human, AssignedTo = "op-3" }, 2).AsTask());
                Assert.Equal(1, won.Count(w => w));
                await Assert.ThrowsAsync<ArgumentException>(async () => await controls.TrySetControlAsync(row with { ConversationId = new string('x', 129) }, 0));
                await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await controls.TrySetControlAsync(row, -1));
                break;
            }

            case Case.Erasure_deletes_finished_escalations_and_keeps_pending_ones_until_delivered:
            {
                EscalationEntry done = Entry("e-1", T0, "webhook") with { ConversationId = "c-erase" };
                EscalationEntry dead = Entry("e-2", T0, "webhook") with { ConversationId = "c-erase" };
                EscalationEntry waiting = Entry("e-3", T0.AddMinutes(1), "webhook", "pager") with { ConversationId = "c-erase" };
                EscalationEntry other = Entry("e-4", T0, "webhook") with { ConversationId = "c-keep" };
                foreach (EscalationEntry e in new[] { done, dead, waiting, other })
                {
                    Assert.True(await store.AddAsync(e));
                }

                IReadOnlyList<DeliveryLease> leased = await store.LeaseDueAsync(T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10);
                Assert.True(await store.CompleteAsync(leased.Single(l => l.Escalation.EscalationId == "e-1"), Delivered(leased.Single(l => l.Escalation.EscalationId == "e-1"), T0.AddMinutes(1))));
                DeliveryLease deadLease = leased.Single(l => l.Escalation.EscalationId == "e-2");
                Assert.True(await store.CompleteAsync(deadLease, new EscalationDelivery("webhook", EscalationDeliveryState.DeadLettered, 8, T0.AddMinutes(1), null, "HttpRequestException")));
                DeliveryLease webhook = leased.Single(l => l.Escalation.EscalationId == "e-3" && l.Channel == "webhook");
                Assert.True(await store.CompleteAsync(webhook, Delivered(webhook, T0.AddMinutes(1)))); // the pager is still pending

                EscalationErasure erasure = await store.EraseConversationsAsync(["c-erase", "c-never-escalated"], T0.AddMinutes(2));
                Assert.Equal(new EscalationErasure(2, 1), erasure);
                Assert.Null(await store.GetAsync("e-1"));
                Assert.Null(await store.GetAsync("e-2"));
                Assert.NotNull(await store.GetAsync("e-4"));
                EscalationEntry kept = (await store.GetAsync("e-3"))!;
                Assert.Equal(T0.AddMinutes(2), kept.ErasureRequestedAt);
                Assert.Null((await store.GetAsync("e-4"))!.ErasureRequestedAt);

                // Never raised again, though nobody acknowledged it; the other conversation's escalation is.
                Assert.Equal(["e-4"], (await store.ReRaiseDueAsync(T0.AddHours(1), TimeSpan.FromMinutes(5), 3, ["pager"])).Select(e => e.EscalationId));

                // The pending delivery still goes out (the alert reaches a human); when it ends, the escalation is gone.
                DeliveryLease pager = (await store.LeaseDueAsync(T0.AddHours(1), TimeSpan.FromMinutes(5), 10)).Single(l => l.Escalation.EscalationId == "e-3");
                Assert.Equal("pager", pager.Channel);
                Assert.True(await store.CompleteAsync(pager, new EscalationDelivery("pager", EscalationDeliveryState.Pending, 1, T0.AddHours(2), null, "TimeoutException")));
                Assert.NotNull(await store.GetAsync("e-3")); // a retry is still pending
                DeliveryLease last = (await store.LeaseDueAsync(T0.AddHours(2), TimeSpan.FromMinutes(5), 10)).Single(l => l.Escalation.EscalationId == "e-3");
                Assert.True(await store.CompleteAsync(last, Delivered(last, T0.AddHours(2))));
                Assert.Null(await store.GetAsync("e-3"));
                Assert.DoesNotContain("e-3", (await store.ListAsync(openOnly: false, 100)).Select(e => e.EscalationId));

                // Asked again: nothing left to do.
                Assert.Equal(EscalationErasure.None, await store.EraseConversationsAsync(["c-erase"], T0.AddHours(3)));
                Assert.Equal(EscalationErasure.None, await store.EraseConversationsAsync([], T0.AddHours(3)));
                await Assert.ThrowsAsync<ArgumentException>(async () => await store.EraseConversationsAsync([.. Enumerable.Range(0, IEscalationStore.MaxErasureBatch + 1).Select(i => $"c-{i}")], T0));
                break;
            }

            case Case.Erasure_of_control_states_keeps_other_tenants_and_conversations:
            {
                var controls = (IConversationControlStore)store;
                Assert.True(await controls.TrySetControlAsync(new ConversationControlState("c-erase", "tenant-a", ConversationControl.Human, T0) { AssignedTo = "op-1", OperatorName = "Alex" }, 0));
                Assert.True(await controls.TrySetControlAsync(new ConversationControlState("c-closed", "tenant-a", ConversationControl.Closed, T0) { AssignedTo = "op-1", Outcome = "referred" }, 0));
                Assert.True(await controls.TrySetControlAsync(new ConversationControlState("c-keep", "tenant-a", ConversationControl.HumanRequested, T0), 0));
                Assert.True(await controls.TrySetControlAsync(new ConversationControlState("c-other-tenant", "tenant-b", ConversationControl.Human, T0) { AssignedTo = "op-2" }, 0));
                Assert.Equal(2, await controls.EraseControlAsync("tenant-a", ["c-erase", "c-closed", "c-other-tenant", "c-missing"]));
                Assert.Null(await controls.GetControlAsync("c-erase"));
                Assert.Null(await controls.GetControlAsync("c-closed"));
                Assert.NotNull(await controls.GetControlAsync("c-keep"));
                Assert.NotNull(await controls.GetControlAsync("c-other-tenant"));
                Assert.Equal(0, await controls.EraseControlAsync("tenant-a", ["c-erase"]));

                // A conversation erased and started again begins at version 0.
                Assert.True(await controls.TrySetControlAsync(new ConversationControlState("c-erase", "tenant-a", ConversationControl.Bot, T0.AddMinutes(1)), 0));
                break;
            }

            case Case.Lists_only_active_control_states:
            {
                var controls = (IConversationControlStore)store;
                await controls.TrySetControlAsync(new ConversationControlState("bot", "default", ConversationControl.Bot, T0), 0);
                await controls.TrySetControlAsync(new ConversationControlState("requested", "default", ConversationControl.HumanRequested, T0.AddMinutes(1)), 0);
                await controls.TrySetControlAsync(new ConversationControlState("held", "default", ConversationControl.Human, T0.AddMinutes(2)) { AssignedTo = "op" }, 0);
                await controls.TrySetControlAsync(new ConversationControlState("handed-back", "default", ConversationControl.Bot, T0.AddMinutes(3)) { AssignedTo = "op" }, 0);
                await controls.TrySetControlAsync(new ConversationControlState("closed", "default", ConversationControl.Closed, T0.AddMinutes(4)) { AssignedTo = "op", Outcome = "done" }, 0);
                Assert.Equal(["handed-back", "held", "requested"], (await controls.ListActiveControlAsync(10)).Select(c => c.ConversationId));
                Assert.Equal(["handed-back"], (await controls.ListActiveControlAsync(1)).Select(c => c.ConversationId));
                break;
            }
        }
    }

    private static EscalationDelivery Delivered(DeliveryLease lease, DateTimeOffset at) =>
        new(lease.Channel, EscalationDeliveryState.Delivered, lease.Attempts + 1, at, at, null);
}
