using EmpathyKit.Escalation.Storage;
using Npgsql;
using static EmpathyKit.PostgreSqlSql;

namespace EmpathyKit;

/// <summary>
/// The escalation outbox in the transcripts' PostgreSQL schema (get it from
/// <see cref="PostgreSqlTranscriptStore.GetEscalationStore"/>; a pipeline on PostgreSQL transcripts uses it by default).
/// Many hosts share it: due deliveries are leased with <c>FOR UPDATE SKIP LOCKED</c>, so two workers never take the
/// same delivery at once, and a lease whose worker died expires and is taken again.
/// </summary>
public sealed class PostgreSqlEscalationStore : IEscalationStore, IConversationControlStore
{
    private const string Ordinal = " COLLATE \"C\"";

    private readonly NpgsqlDataSource _source;
    private readonly string _s;
    private readonly Lazy<Task> _initialized;
    private readonly string[] _sweepErased;

    internal PostgreSqlEscalationStore(NpgsqlDataSource source, string schema, Lazy<Task> initialized)
    {
        _source = source;
        _s = schema;
        _initialized = initialized;
        _sweepErased = EscalationRows.SweepErased($"{schema}.ek_escalations", $"{schema}.ek_escalation_deliveries", '@');
    }

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(EscalationEntry entry, CancellationToken cancellationToken = default)
    {
        EscalationRows.Check(entry);
        return WriteAsync(
            async (c, t, ct) =>
            {
                CrisisAssessment a = entry.Assessment;
                int added = await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_escalations ({EscalationRows.EntryColumns}) VALUES (@id, @c, @at, @level, @rung, @cat, @sig, @con, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL) ON CONFLICT (id) DO NOTHING", ct,
                    ("id", entry.EscalationId), ("c", entry.ConversationId), ("at", entry.OccurredAt.UtcTicks), ("level", (int)a.Level), ("rung", (int)a.Rung),
                    ("cat", EscalationRows.JoinCategories(a.Categories)), ("sig", EscalationRows.Join(a.Signals)), ("con", EscalationRows.Join(a.Constructs))).ConfigureAwait(false);
                if (added == 0)
                {
                    return false;
                }

                int ordinal = 0;
                foreach (EscalationDelivery d in entry.Deliveries)
                {
                    await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_escalation_deliveries (escalation, ordinal, channel, state, attempts, next_attempt) VALUES (@id, @o, @ch, 0, @n, @next)", ct,
                        ("id", entry.EscalationId), ("o", ordinal++), ("ch", d.Channel), ("n", d.Attempts), ("next", d.NextAttemptAt.UtcTicks)).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseDueAsync(DateTimeOffset now, TimeSpan duration, int max, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<DeliveryLease>>(
            async (c, t, ct) =>
            {
                DateTimeOffset until = now + duration;
                IReadOnlyList<(string Id, string Channel, int Attempts, Guid Lease)> taken = await QueryAsync(
                    c,
                    t,
                    $"WITH due AS (SELECT escalation, channel FROM {_s}.ek_escalation_deliveries WHERE state = 0 AND next_attempt <= @now AND (lease_until IS NULL OR lease_until <= @now) " +
                    "ORDER BY next_attempt, escalation, channel LIMIT @max FOR UPDATE SKIP LOCKED) " +
                    $"UPDATE {_s}.ek_escalation_deliveries d SET lease_id = gen_random_uuid(), lease_until = @until FROM due WHERE d.escalation = due.escalation AND d.channel = due.channel " +
                    "RETURNING d.escalation, d.channel, d.attempts, d.lease_id",
                    r => (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetGuid(3)),
                    ct,
                    ("now", now.UtcTicks),
                    ("max", Math.Max(0, max)),
                    ("until", until.UtcTicks)).ConfigureAwait(false);
                var leases = new List<DeliveryLease>(taken.Count);
                foreach ((string id, string channel, int attempts, Guid lease) in taken.OrderBy(x => x.Id, StringComparer.Ordinal).ThenBy(x => x.Channel, StringComparer.Ordinal))
                {
                    leases.Add(new DeliveryLease((await ReadAsync(c, t, id, ct).ConfigureAwait(false))!, channel, attempts, lease, until));
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
            async (c, t, ct) =>
            {
                // The escalation's row is locked first, as an erasure locks it, so an erasure that marks it and this
                // delivery's end cannot pass each other (which would leave it marked with nothing left to deliver).
                _ = await QueryAsync(c, t, $"SELECT id FROM {_s}.ek_escalations WHERE id = @id FOR UPDATE", r => r.GetString(0), ct, ("id", id)).ConfigureAwait(false);
                if (await ExecuteAsync(
                    c,
                    t,
                    $"UPDATE {_s}.ek_escalation_deliveries SET state = @state, attempts = @n, next_attempt = @next, delivered = @delivered, last_error = @error, lease_id = NULL, lease_until = NULL " +
                    "WHERE escalation = @id AND channel = @ch AND lease_id = @lease",
                    ct,
                    ("state", (int)outcome.State), ("n", outcome.Attempts), ("next", outcome.NextAttemptAt.UtcTicks), ("delivered", outcome.DeliveredAt?.UtcTicks),
                    ("error", outcome.LastError), ("id", id), ("ch", lease.Channel), ("lease", lease.LeaseId)).ConfigureAwait(false) != 1)
                {
                    return false;
                }

                if (outcome.State != EscalationDeliveryState.Pending)
                {
                    foreach (string sql in _sweepErased)
                    {
                        await ExecuteAsync(c, t, sql, ct, ("id", id)).ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (c, ct) => (await QueryAsync(c, null, $"SELECT MIN(GREATEST(next_attempt, COALESCE(lease_until, 0))) FROM {_s}.ek_escalation_deliveries WHERE state = 0",
                r => r.IsDBNull(0) ? (DateTimeOffset?)null : EscalationRows.Time(r.GetInt64(0)), ct).ConfigureAwait(false))[0],
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalationId);
        return ReadAsync((c, ct) => ReadAsync(c, null, escalationId, ct), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<EscalationEntry>>(
            async (c, ct) =>
            {
                IReadOnlyList<EscalationEntry> entries = await QueryAsync(
                    c,
                    null,
                    $"SELECT {EscalationRows.EntryColumns} FROM {_s}.ek_escalations {(openOnly ? "WHERE resolved IS NULL" : string.Empty)} ORDER BY occurred DESC, id DESC LIMIT @max",
                    EscalationRows.ReadEntry,
                    ct,
                    ("max", Math.Max(0, limit))).ConfigureAwait(false);
                var list = new List<EscalationEntry>(entries.Count);
                foreach (EscalationEntry e in entries)
                {
                    list.Add(e with { Deliveries = await ReadDeliveriesAsync(c, null, e.EscalationId, ct).ConfigureAwait(false) });
                }

                return list;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ReRaiseDueAsync(DateTimeOffset now, TimeSpan after, int maxReRaises, IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return WriteAsync<IReadOnlyList<EscalationEntry>>(
            async (c, t, ct) =>
            {
                IReadOnlyList<(string Id, int ReRaises)> due = await QueryAsync(
                    c,
                    t,
                    $"UPDATE {_s}.ek_escalations SET re_raises = re_raises + 1, re_raised = @now WHERE id IN (SELECT id FROM {_s}.ek_escalations " +
                    $"WHERE {EscalationRows.ReRaiseFilter('@')} FOR UPDATE SKIP LOCKED) RETURNING id, re_raises",
                    r => (r.GetString(0), r.GetInt32(1)),
                    ct,
                    ("now", now.UtcTicks),
                    ("max", maxReRaises),
                    ("cutoff", (now - after).UtcTicks)).ConfigureAwait(false);
                var raised = new List<EscalationEntry>(due.Count);
                foreach ((string id, int n) in due.OrderBy(d => d.Id, StringComparer.Ordinal))
                {
                    long ordinal = await ScalarAsync(c, t, $"SELECT COALESCE(MAX(ordinal), -1) + 1 FROM {_s}.ek_escalation_deliveries WHERE escalation = @id", ct, ("id", id)).ConfigureAwait(false);
                    foreach (string channel in channels)
                    {
                        await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_escalation_deliveries (escalation, ordinal, channel, state, attempts, next_attempt) VALUES (@id, @o, @ch, 0, 0, @now)", ct,
                            ("id", id), ("o", (int)ordinal++), ("ch", $"{channel}@{n}"), ("now", now.UtcTicks)).ConfigureAwait(false);
                    }

                    raised.Add((await ReadAsync(c, t, id, ct).ConfigureAwait(false))!);
                }

                return [.. raised.OrderBy(e => e.OccurredAt).ThenBy(e => e.EscalationId, StringComparer.Ordinal)];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(string escalationId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (c, t, ct) => await ExecuteAsync(c, t, $"UPDATE {_s}.ek_escalations SET acknowledged = @at, acknowledged_by = @actor WHERE id = @id AND acknowledged IS NULL AND resolved IS NULL", ct,
                ("at", at.UtcTicks), ("actor", actor), ("id", escalationId)).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ResolveAsync(string escalationId, string actor, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async (c, t, ct) => await ExecuteAsync(
                c,
                t,
                $"UPDATE {_s}.ek_escalations SET acknowledged = COALESCE(acknowledged, @at), acknowledged_by = COALESCE(acknowledged_by, @actor), resolved = @at, resolved_by = @actor, outcome = @outcome " +
                "WHERE id = @id AND resolved IS NULL",
                ct,
                ("at", at.UtcTicks), ("actor", actor), ("outcome", outcome), ("id", escalationId)).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<EscalationErasure> EraseConversationsAsync(IReadOnlyCollection<string> conversationIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckErasure(conversationIds);
        if (conversationIds.Count == 0)
        {
            return new(EscalationErasure.None);
        }

        string[] conversations = [.. conversationIds];
        return WriteAsync(
            async (c, t, ct) =>
            {
                // Locked in id order, as CompleteAsync locks one, so a delivery ending meanwhile is seen here or sees the mark.
                IReadOnlyList<string> ids = await QueryAsync(c, t, $"SELECT id FROM {_s}.ek_escalations WHERE conversation = ANY(@c) ORDER BY id FOR UPDATE", r => r.GetString(0), ct, ("c", conversations)).ConfigureAwait(false);
                if (ids.Count == 0)
                {
                    return EscalationErasure.None;
                }

                string[] all = [.. ids];
                var pending = new HashSet<string>(
                    await QueryAsync(c, t, $"SELECT DISTINCT escalation FROM {_s}.ek_escalation_deliveries WHERE escalation = ANY(@ids) AND state = 0", r => r.GetString(0), ct, ("ids", all)).ConfigureAwait(false),
                    StringComparer.Ordinal);
                string[] gone = [.. all.Where(id => !pending.Contains(id))];
                await ExecuteAsync(c, t, $"UPDATE {_s}.ek_escalations SET erase_requested = COALESCE(erase_requested, @now) WHERE id = ANY(@ids)", ct, ("now", now.UtcTicks), ("ids", pending.ToArray())).ConfigureAwait(false);
                await ExecuteAsync(c, t, $"DELETE FROM {_s}.ek_escalation_deliveries WHERE escalation = ANY(@ids)", ct, ("ids", gone)).ConfigureAwait(false);
                await ExecuteAsync(c, t, $"DELETE FROM {_s}.ek_escalations WHERE id = ANY(@ids)", ct, ("ids", gone)).ConfigureAwait(false);
                return new EscalationErasure(gone.Length, pending.Count);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> EraseControlAsync(string tenant, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        EscalationRows.CheckErasure(conversationIds);
        string[] conversations = [.. conversationIds];
        return conversations.Length == 0
            ? new(0)
            : WriteAsync(
                async (c, t, ct) => await ExecuteAsync(c, t, $"DELETE FROM {_s}.ek_conversation_control WHERE conversation = ANY(@c) AND tenant = @t", ct, ("c", conversations), ("t", tenant)).ConfigureAwait(false),
                cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return ReadAsync(
            async (c, ct) => (await QueryAsync(c, null, $"SELECT {ControlRows.Columns} FROM {_s}.ek_conversation_control WHERE conversation = @c", ControlRows.Read, ct, ("c", conversationId)).ConfigureAwait(false)) is [ConversationControlState state] ? state : null,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySetControlAsync(ConversationControlState state, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ControlRows.Check(state, expectedVersion);
        (string Name, object? Value)[] parameters = [.. ControlRows.Parameters(state, expectedVersion).Where(x => expectedVersion > 0 || x.Name != "expected")];
        string sql = expectedVersion == 0 ? ControlRows.Insert($"{_s}.ek_conversation_control", '@') : ControlRows.Update($"{_s}.ek_conversation_control", '@');
        return WriteAsync(async (c, t, ct) => await ExecuteAsync(c, t, sql, ct, parameters).ConfigureAwait(false) == 1, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListControlAsync(string? afterConversationId, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(
            async (c, ct) => afterConversationId is null
                ? await QueryAsync(c, null, ControlRows.ListAfter($"{_s}.ek_conversation_control", '@', after: false, Ordinal), ControlRows.Read, ct, ("max", Math.Max(0, limit))).ConfigureAwait(false)
                : await QueryAsync(c, null, ControlRows.ListAfter($"{_s}.ek_conversation_control", '@', after: true, Ordinal), ControlRows.Read, ct, ("after", afterConversationId), ("max", Math.Max(0, limit))).ConfigureAwait(false),
            cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListActiveControlAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(async (c, ct) => await QueryAsync(c, null, ControlRows.ListActive($"{_s}.ek_conversation_control", '@'), ControlRows.Read, ct, ("max", Math.Max(0, limit))).ConfigureAwait(false), cancellationToken);

    private async Task<EscalationEntry?> ReadAsync(NpgsqlConnection c, NpgsqlTransaction? t, string id, CancellationToken ct) =>
        await QueryAsync(c, t, $"SELECT {EscalationRows.EntryColumns} FROM {_s}.ek_escalations WHERE id = @id", EscalationRows.ReadEntry, ct, ("id", id)).ConfigureAwait(false) is [EscalationEntry entry]
            ? entry with { Deliveries = await ReadDeliveriesAsync(c, t, id, ct).ConfigureAwait(false) }
            : null;

    private Task<IReadOnlyList<EscalationDelivery>> ReadDeliveriesAsync(NpgsqlConnection c, NpgsqlTransaction? t, string id, CancellationToken ct) =>
        QueryAsync(c, t, $"SELECT {EscalationRows.DeliveryColumns} FROM {_s}.ek_escalation_deliveries WHERE escalation = @id ORDER BY ordinal", EscalationRows.ReadDelivery, ct, ("id", id));

    private ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        PostgreSqlSql.ReadAsync(_source, _initialized, read, cancellationToken);

    // No advisory lock: the outbox's writes are row-level (leases, FOR UPDATE SKIP LOCKED), not audited.
    private ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        PostgreSqlSql.WriteAsync(_source, _initialized, null, work, cancellationToken);
}
