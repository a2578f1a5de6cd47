using EmpathyKit.Escalation.Storage;
using EmpathyKit.Storage;
using Microsoft.Data.Sqlite;
using static EmpathyKit.Storage.SqliteSql;

namespace EmpathyKit;

/// <summary>
/// The escalation outbox in a SQLite file: by default the transcripts' own file (WAL, <c>synchronous=FULL</c>, so an
/// escalation is on disk when <see cref="AddAsync"/> completes). Each write is one <c>BEGIN IMMEDIATE</c> transaction,
/// so several processes can share the file; a lease is taken in the same transaction that finds the delivery due.
/// </summary>
public sealed class SqliteEscalationStore : IEscalationStore, IConversationControlStore
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS ek_escalations (
            id TEXT PRIMARY KEY, conversation TEXT NOT NULL, occurred INTEGER NOT NULL, level INTEGER NOT NULL, rung INTEGER NOT NULL,
            categories TEXT NOT NULL, signals TEXT NOT NULL, constructs TEXT NOT NULL,
            acknowledged INTEGER, acknowledged_by TEXT, resolved INTEGER, resolved_by TEXT, outcome TEXT,
            re_raises INTEGER NOT NULL DEFAULT 0, re_raised INTEGER, erase_requested INTEGER);
        CREATE INDEX IF NOT EXISTS ix_ek_escalations_occurred ON ek_escalations (occurred, id);
        CREATE INDEX IF NOT EXISTS ix_ek_escalations_conversation ON ek_escalations (conversation);
        CREATE TABLE IF NOT EXISTS ek_escalation_deliveries (
            escalation TEXT NOT NULL, ordinal INTEGER NOT NULL, channel TEXT NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL,
            next_attempt INTEGER NOT NULL, delivered INTEGER, last_error TEXT, lease_id TEXT, lease_until INTEGER,
            PRIMARY KEY (escalation, channel));
        CREATE INDEX IF NOT EXISTS ix_ek_escalation_deliveries_due ON ek_escalation_deliveries (state, next_attempt);
        CREATE TABLE IF NOT EXISTS ek_conversation_control (
            conversation TEXT PRIMARY KEY, tenant TEXT NOT NULL, control INTEGER NOT NULL, changed INTEGER NOT NULL,
            assigned_to TEXT, operator_name TEXT, requested INTEGER, outcome TEXT, version INTEGER NOT NULL);
        """;

    private static readonly string SweepErased = string.Join(';', EscalationRows.SweepErased("ek_escalations", "ek_escalation_deliveries", '$'));

    private readonly string _connectionString;
    private readonly Lazy<Task> _initialized;

    /// <summary>Initializes a new instance of the <see cref="SqliteEscalationStore"/> class.</summary>
    /// <param name="databasePath">The database file (the transcripts' file by default); it and its folder are created owner-only if missing.</param>
    public SqliteEscalationStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = ConnectionString(DatabasePath);
        _initialized = new Lazy<Task>(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(EscalationEntry entry, CancellationToken cancellationToken = default)
    {
        EscalationRows.Check(entry);
        return WriteAsync(
            (c, t) =>
            {
                if (Scalar(c, t, "SELECT COUNT(*) FROM ek_escalations WHERE id = $id", ("$id", entry.EscalationId)) > 0)
                {
                    return false;
                }

                CrisisAssessment a = entry.Assessment;
                Execute(c, t, $"INSERT INTO ek_escalations ({EscalationRows.EntryColumns}) VALUES ($id, $c, $at, $level, $rung, $cat, $sig, $con, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL)",
                    ("$id", entry.EscalationId), ("$c", entry.ConversationId), ("$at", entry.OccurredAt.UtcTicks), ("$level", (int)a.Level), ("$rung", (int)a.Rung),
                    ("$cat", EscalationRows.JoinCategories(a.Categories)), ("$sig", EscalationRows.Join(a.Signals)), ("$con", EscalationRows.Join(a.Constructs)));
                int ordinal = 0;
                foreach (EscalationDelivery d in entry.Deliveries)
                {
                    Execute(c, t, "INSERT INTO ek_escalation_deliveries (escalation, ordinal, channel, state, attempts, next_attempt) VALUES ($id, $o, $ch, 0, $n, $next)",
                        ("$id", entry.EscalationId), ("$o", ordinal++), ("$ch", d.Channel), ("$n", d.Attempts), ("$next", d.NextAttemptAt.UtcTicks));
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseDueAsync(DateTimeOffset now, TimeSpan duration, int max, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<DeliveryLease>>(
            (c, t) =>
            {
                IReadOnlyList<(string Id, string Channel, int Attempts)> due = Query(
                    c,
                    t,
                    "SELECT escalation, channel, attempts FROM ek_escalation_deliveries WHERE state = 0 AND next_attempt <= $now AND (lease_until IS NULL OR lease_until <= $now) " +
                    "ORDER BY next_attempt, escalation, channel LIMIT $max",
                    r => (r.GetString(0), r.GetString(1), r.GetInt32(2)),
                    ("$now", now.UtcTicks),
                    ("$max", Math.Max(0, max)));
                var leases = new List<DeliveryLease>(due.Count);
                DateTimeOffset until = now + duration;
                foreach ((string id, string channel, int attempts) in due)
                {
                    var lease = Guid.NewGuid();
                    Execute(c, t, "UPDATE ek_escalation_deliveries SET lease_id = $lease, lease_until = $until WHERE escalation = $id AND channel = $ch",
                        ("$lease", lease.ToString("N")), ("$until", until.UtcTicks), ("$id", id), ("$ch", channel));
                    leases.Add(new DeliveryLease(Read(c, t, id)!, channel, attempts, lease, until));
                }

                return leases;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, EscalationDelivery outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        string id = lease.Escalation.EscalationId;
        return WriteAsync(
            (c, t) =>
            {
                if (Execute(
                    c,
                    t,
                    "UPDATE ek_escalation_deliveries SET state = $state, attempts = $n, next_attempt = $next, delivered = $delivered, last_error = $error, lease_id = NULL, lease_until = NULL " +
                    "WHERE escalation = $id AND channel = $ch AND lease_id = $lease",
                    ("$state", (int)outcome.State), ("$n", outcome.Attempts), ("$next", outcome.NextAttemptAt.UtcTicks), ("$delivered", outcome.DeliveredAt?.UtcTicks),
                    ("$error", outcome.LastError), ("$id", id), ("$ch", lease.Channel), ("$lease", lease.LeaseId.ToString("N"))) != 1)
                {
                    return false;
                }

                if (outcome.State != EscalationDeliveryState.Pending)
                {
                    Execute(c, t, SweepErased, ("$id", id));
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            c => Query(c, "SELECT MIN(MAX(next_attempt, COALESCE(lease_until, 0))) FROM ek_escalation_deliveries WHERE state = 0", r => r.IsDBNull(0) ? (DateTimeOffset?)null : EscalationRows.Time(r.GetInt64(0)))[0],
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalationId);
        return ReadAsync(c => Read(c, null, escalationId), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EscalationEntry>>(
            c =>
            {
                IReadOnlyList<EscalationEntry> entries = Query(
                    c,
                    $"SELECT {EscalationRows.EntryColumns} FROM ek_escalations {(openOnly ? "WHERE resolved IS NULL" : string.Empty)} ORDER BY occurred DESC, id DESC LIMIT $max",
                    EscalationRows.ReadEntry,
                    ("$max", Math.Max(0, limit)));
                return [.. entries.Select(e => e with { Deliveries = ReadDeliveries(c, null, e.EscalationId) })];
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ReRaiseDueAsync(DateTimeOffset now, TimeSpan after, int maxReRaises, IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return WriteAsync<IReadOnlyList<EscalationEntry>>(
            (c, t) =>
            {
                IReadOnlyList<(string Id, int ReRaises)> due = Query(
                    c,
                    t,
                    $"SELECT id, re_raises FROM ek_escalations WHERE {EscalationRows.ReRaiseFilter('$')} ORDER BY occurred, id",
                    r => (r.GetString(0), r.GetInt32(1)),
                    ("$max", maxReRaises),
                    ("$cutoff", (now - after).UtcTicks));
                var raised = new List<EscalationEntry>(due.Count);
                foreach ((string id, int reRaises) in due)
                {
                    int n = reRaises + 1;
                    Execute(c, t, "UPDATE ek_escalations SET re_raises = $n, re_raised = $now WHERE id = $id", ("$n", n), ("$now", now.UtcTicks), ("$id", id));
                    long ordinal = Scalar(c, t, "SELECT COALESCE(MAX(ordinal), -1) + 1 FROM ek_escalation_deliveries WHERE escalation = $id", ("$id", id));
                    foreach (string channel in channels)
                    {
                        Execute(c, t, "INSERT INTO ek_escalation_deliveries (escalation, ordinal, channel, state, attempts, next_attempt) VALUES ($id, $o, $ch, 0, 0, $now)",
                            ("$id", id), ("$o", ordinal++), ("$ch", $"{channel}@{n}"), ("$now", now.UtcTicks));
                    }

                    raised.Add(Read(c, t, id)!);
                }

                return raised;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(string escalationId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(
            (c, t) => Execute(c, t, "UPDATE ek_escalations SET acknowledged = $at, acknowledged_by = $actor WHERE id = $id AND acknowledged IS NULL AND resolved IS NULL",
                ("$at", at.UtcTicks), ("$actor", actor), ("$id", escalationId)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ResolveAsync(string escalationId, string actor, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(
            (c, t) => Execute(
                c,
                t,
                "UPDATE ek_escalations SET acknowledged = COALESCE(acknowledged, $at), acknowledged_by = COALESCE(acknowledged_by, $actor), resolved = $at, resolved_by = $actor, outcome = $outcome " +
                "WHERE id = $id AND resolved IS NULL",
                ("$at", at.UtcTicks), ("$actor", actor), ("$outcome", outcome), ("$id", escalationId)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<EscalationErasure> EraseConversationsAsync(IReadOnlyCollection<string> conversationIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckErasure(conversationIds);
        return WriteAsync(
            (c, t) =>
            {
                int erased = 0, waiting = 0;
                foreach (string conversation in conversationIds)
                {
                    IReadOnlyList<(string Id, long Pending)> rows = Query(
                        c,
                        t,
                        "SELECT e.id, (SELECT COUNT(*) FROM ek_escalation_deliveries d WHERE d.escalation = e.id AND d.state = 0) FROM ek_escalations e WHERE e.conversation = $c",
                        r => (r.GetString(0), r.GetInt64(1)),
                        ("$c", conversation));
                    foreach ((string id, long pending) in rows)
                    {
                        if (pending > 0)
                        {
                            Execute(c, t, "UPDATE ek_escalations SET erase_requested = COALESCE(erase_requested, $now) WHERE id = $id", ("$now", now.UtcTicks), ("$id", id));
                            waiting++;
                        }
                        else
                        {
                            Execute(c, t, "DELETE FROM ek_escalation_deliveries WHERE escalation = $id; DELETE FROM ek_escalations WHERE id = $id;", ("$id", id));
                            erased++;
                        }
                    }
                }

                return new EscalationErasure(erased, waiting);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> EraseControlAsync(string tenant, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        EscalationRows.CheckErasure(conversationIds);
        return WriteAsync(
            (c, t) => conversationIds.Sum(id => Execute(c, t, "DELETE FROM ek_conversation_control WHERE conversation = $c AND tenant = $t", ("$c", id), ("$t", tenant))),
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return ReadAsync(
            c => Query(c, $"SELECT {ControlRows.Columns} FROM ek_conversation_control WHERE conversation = $c", ControlRows.Read, ("$c", conversationId)) is [ConversationControlState state] ? state : null,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySetControlAsync(ConversationControlState state, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ControlRows.Check(state, expectedVersion);
        (string Name, object? Value)[] parameters = [.. ControlRows.Parameters(state, expectedVersion).Where(x => expectedVersion > 0 || x.Name != "expected").Select(x => ("$" + x.Name, x.Value))];
        string sql = expectedVersion == 0 ? ControlRows.Insert("ek_conversation_control", '$') : ControlRows.Update("ek_conversation_control", '$');
        return WriteAsync((c, t) => Execute(c, t, sql, parameters) == 1, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListControlAsync(string? afterConversationId, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            c => afterConversationId is null
                ? Query(c, ControlRows.ListAfter("ek_conversation_control", '$', after: false), ControlRows.Read, ("$max", Math.Max(0, limit)))
                : Query(c, ControlRows.ListAfter("ek_conversation_control", '$', after: true), ControlRows.Read, ("$after", afterConversationId), ("$max", Math.Max(0, limit))),
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListActiveControlAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, ControlRows.ListActive("ek_conversation_control", '$'), ControlRows.Read, ("$max", Math.Max(0, limit))), cancellationToken);

    private static EscalationEntry? Read(SqliteConnection c, SqliteTransaction? t, string id) =>
        Query(c, t, $"SELECT {EscalationRows.EntryColumns} FROM ek_escalations WHERE id = $id", EscalationRows.ReadEntry, ("$id", id)) is [EscalationEntry entry]
            ? entry with { Deliveries = ReadDeliveries(c, t, id) }
            : null;

    private static IReadOnlyList<EscalationDelivery> ReadDeliveries(SqliteConnection c, SqliteTransaction? t, string id) =>
        Query(c, t, $"SELECT {EscalationRows.DeliveryColumns} FROM ek_escalation_deliveries WHERE escalation = $id ORDER BY ordinal", EscalationRows.ReadDelivery, ("$id", id));

    private Task Initialize()
    {
        SqliteSql.EnsurePrivateFile(DatabasePath);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout=30000;" + Schema);
        if (Scalar(connection, null, "SELECT COUNT(*) FROM pragma_table_info('ek_escalations') WHERE name = 're_raises'") == 0)
        {
            // A file made before re-raising existed.
            Execute(connection, null, "ALTER TABLE ek_escalations ADD COLUMN re_raises INTEGER NOT NULL DEFAULT 0; ALTER TABLE ek_escalations ADD COLUMN re_raised INTEGER;");
        }

        if (Scalar(connection, null, "SELECT COUNT(*) FROM pragma_table_info('ek_escalations') WHERE name = 'erase_requested'") == 0)
        {
            // A file made before subject erasure reached the outbox.
            Execute(connection, null, "ALTER TABLE ek_escalations ADD COLUMN erase_requested INTEGER;");
        }

        Execute(connection, null, EscalationRows.ReRaiseIndex("ix_ek_escalations_unacknowledged", "ek_escalations"));

        return Task.CompletedTask;
    }

    private async ValueTask<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        await _initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return read(connection);
    }

    private async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        T result = work(connection, transaction);
        cancellationToken.ThrowIfCancellationRequested();
        transaction.Commit();
        return result;
    }
}
