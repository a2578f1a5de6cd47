using BenchmarkDotNet.Attributes;
using EmpathyKit.Escalation.Storage;
using Microsoft.Data.Sqlite;

namespace EmpathyKit.Benchmarks;

/// <summary>
/// The delivery worker's idle pass (lease what is due, when is the next due, re-raise what nobody acknowledged) over
/// outboxes that hold many escalations, nearly all delivered and acknowledged: what every idle worker does every
/// second. <see cref="PartialIndex"/> = false drops the re-raise query's partial index, to measure what it buys.
/// </summary>
[MemoryDiagnoser]
public class OutboxBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private string _directory = null!;
    private IEscalationStore _store = null!;
    private InMemoryEscalationStore _memory = null!;

    /// <summary>Gets or sets how many escalations the outbox holds (1% of them unacknowledged, none due).</summary>
    [Params(10_000)]
    public int Escalations { get; set; }

    /// <summary>Gets or sets whether the SQLite store keeps its re-raise index.</summary>
    [Params(true, false)]
    public bool PartialIndex { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("empathykit-outbox-bench").FullName;
        string path = Path.Combine(_directory, "outbox.db");
        var sqlite = new SqliteEscalationStore(path);
        _store = sqlite;
        _memory = new InMemoryEscalationStore();
        Fill(_memory);

        // The same rows written to SQLite in one transaction (through the store, each write would wait for the disk).
        _ = sqlite.NextDueAsync().AsTask().GetAwaiter().GetResult();
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using (SqliteTransaction t = c.BeginTransaction())
        {
            using SqliteCommand add = c.CreateCommand();
            add.Transaction = t;
            add.CommandText =
                "INSERT INTO ek_escalations (id, conversation, occurred, level, rung, categories, signals, constructs, acknowledged, acknowledged_by) VALUES ($id, $c, $at, 3, 0, 'Suicidal', 'plan', '', $ack, $by);" +
                "INSERT INTO ek_escalation_deliveries (escalation, ordinal, channel, state, attempts, next_attempt, delivered) VALUES ($id, 0, 'webhook', 1, 1, $at, $at);";
            SqliteParameter id = add.Parameters.Add("$id", SqliteType.Text), conversation = add.Parameters.Add("$c", SqliteType.Text);
            SqliteParameter ack = add.Parameters.Add("$ack", SqliteType.Integer), by = add.Parameters.Add("$by", SqliteType.Text);
            add.Parameters.AddWithValue("$at", T0.UtcTicks);
            for (int i = 0; i < Escalations; i++)
            {
                id.Value = $"e-{i:D6}";
                conversation.Value = $"c-{i}";
                ack.Value = i % 100 == 0 ? DBNull.Value : T0.UtcTicks;
                by.Value = i % 100 == 0 ? DBNull.Value : "op";
                add.ExecuteNonQuery();
            }

            t.Commit();
        }

        using SqliteCommand analyze = c.CreateCommand();
        analyze.CommandText = PartialIndex ? "ANALYZE;" : "DROP INDEX ix_ek_escalations_unacknowledged; ANALYZE;";
        analyze.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The SQLite store's idle pass.</summary>
    [Benchmark]
    public Task<int> Sqlite_idle_pass() => IdlePassAsync(_store);

    /// <summary>The in-memory store's idle pass (what the in-memory transcripts use).</summary>
    [Benchmark]
    public Task<int> InMemory_idle_pass() => IdlePassAsync(_memory);

    private static async Task<int> IdlePassAsync(IEscalationStore store)
    {
        DateTimeOffset now = T0.AddMinutes(1);
        int n = (await store.LeaseDueAsync(now, TimeSpan.FromMinutes(5), 16)).Count;
        n += (await store.NextDueAsync()) is null ? 0 : 1;
        n += (await store.ReRaiseDueAsync(now, TimeSpan.FromHours(1), 3, ["pager"])).Count;
        return n;
    }

    private void Fill(IEscalationStore store)
    {
        for (int i = 0; i < Escalations; i++)
        {
            string id = $"e-{i:D6}";
            var entry = new EscalationEntry(id, $"c-{i}", T0, new CrisisAssessment(RiskLevel.High, [CrisisCategory.Suicidal], ["plan"]), [new EscalationDelivery("webhook", EscalationDeliveryState.Pending, 0, T0, null, null)]);
            store.AddAsync(entry).AsTask().GetAwaiter().GetResult();
        }

        foreach (DeliveryLease lease in LeaseAll(store))
        {
            store.CompleteAsync(lease, new EscalationDelivery(lease.Channel, EscalationDeliveryState.Delivered, 1, T0, T0, null)).AsTask().GetAwaiter().GetResult();
        }

        for (int i = 0; i < Escalations; i++)
        {
            if (i % 100 != 0)
            {
                store.AcknowledgeAsync($"e-{i:D6}", "op", T0).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static IEnumerable<DeliveryLease> LeaseAll(IEscalationStore store)
    {
        while (store.LeaseDueAsync(T0, TimeSpan.FromMinutes(5), 1_000).AsTask().GetAwaiter().GetResult() is { Count: > 0 } batch)
        {
            foreach (DeliveryLease lease in batch)
            {
                yield return lease;
            }
        }
    }
}
