using EmpathyKit.Escalation.Storage;

namespace EmpathyKit;

/// <summary>
/// Keeps the escalation outbox in process memory: what the in-memory transcript store uses, and the reference model in
/// the stores' tests. Nothing survives the process, so a host that must not lose escalations uses the SQLite or
/// PostgreSQL store.
/// </summary>
public sealed class InMemoryEscalationStore : IEscalationStore, IConversationControlStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversationControlState> _controls = new(StringComparer.Ordinal);

    // Indexes over _rows, so the worker's frequent passes touch only what they can act on, not every escalation kept.
    private readonly HashSet<Row> _pending = [];
    private readonly HashSet<Row> _unacknowledged = [];

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(EscalationEntry entry, CancellationToken cancellationToken = default)
    {
        EscalationRows.Check(entry);
        entry = EscalationRows.Normalize(entry);
        lock (_gate)
        {
            var row = new Row(entry, [.. entry.Deliveries.Select(d => new Slot(d))]);
            if (!_rows.TryAdd(entry.EscalationId, row))
            {
                return new(false);
            }

            Reindex(row);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryLease>> LeaseDueAsync(DateTimeOffset now, TimeSpan duration, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var due = new List<(Row Row, Slot Slot)>();
            foreach (Row row in _pending)
            {
                foreach (Slot slot in row.Slots)
                {
                    if (slot.Delivery.State == EscalationDeliveryState.Pending && slot.Delivery.NextAttemptAt <= now && (slot.LeasedUntil is not { } until || until <= now))
                    {
                        due.Add((row, slot));
                    }
                }
            }

            due.Sort(static (a, b) =>
            {
                int c = a.Slot.Delivery.NextAttemptAt.CompareTo(b.Slot.Delivery.NextAttemptAt);
                c = c != 0 ? c : string.CompareOrdinal(a.Row.Entry.EscalationId, b.Row.Entry.EscalationId);
                return c != 0 ? c : string.CompareOrdinal(a.Slot.Delivery.Channel, b.Slot.Delivery.Channel);
            });
            if (due.Count > Math.Max(0, max))
            {
                due.RemoveRange(Math.Max(0, max), due.Count - Math.Max(0, max));
            }

            var leases = new List<DeliveryLease>(due.Count);
            foreach ((Row row, Slot slot) in due)
            {
                slot.LeaseId = Guid.NewGuid();
                slot.LeasedUntil = now + duration;
                leases.Add(new DeliveryLease(row.Snapshot(), slot.Delivery.Channel, slot.Delivery.Attempts, slot.LeaseId.Value, slot.LeasedUntil.Value));
            }

            return new(leases);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, EscalationDelivery outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            if (!_rows.TryGetValue(lease.Escalation.EscalationId, out Row? row)
                || row.Slots.FirstOrDefault(s => s.Delivery.Channel == lease.Channel) is not { } slot
                || slot.LeaseId != lease.LeaseId)
            {
                return new(false);
            }

            slot.Delivery = outcome with { Channel = lease.Channel };
            slot.LeaseId = null;
            slot.LeasedUntil = null;
            Reindex(row);
            if (row.Entry.ErasureRequestedAt is not null && !row.HasPending)
            {
                // Its subject was erased while this delivery was pending; the alert has now gone as far as it can.
                _rows.Remove(row.Entry.EscalationId);
            }

            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            DateTimeOffset? next = null;
            foreach (Row row in _pending)
            {
                foreach (Slot slot in row.Slots)
                {
                    if (slot.Delivery.State == EscalationDeliveryState.Pending)
                    {
                        DateTimeOffset due = slot.LeasedUntil is { } until && until > slot.Delivery.NextAttemptAt ? until : slot.Delivery.NextAttemptAt;
                        next = next is null || due < next ? due : next;
                    }
                }
            }

            return new(next);
        }
    }

    /// <inheritdoc />
    public ValueTask<EscalationEntry?> GetAsync(string escalationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_rows.TryGetValue(escalationId, out Row? row) ? row.Snapshot() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ListAsync(bool openOnly, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_rows.Values.Select(r => r.Snapshot()).Where(e => !openOnly || e.IsOpen)
                .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.EscalationId, StringComparer.Ordinal)
                .Take(Math.Max(0, limit)).ToList());
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EscalationEntry>> ReRaiseDueAsync(DateTimeOffset now, TimeSpan after, int maxReRaises, IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        lock (_gate)
        {
            // Only the due rows are sorted (an idle worker asks often, and most rows are not due).
            var raised = new List<EscalationEntry>();
            DateTimeOffset cutoff = now - after;
            var due = new List<Row>();
            foreach (Row row in _unacknowledged)
            {
                if (row.Entry.ReRaises < maxReRaises && (row.Entry.LastReRaisedAt ?? row.Entry.OccurredAt) <= cutoff)
                {
                    due.Add(row);
                }
            }

            due.Sort(static (a, b) =>
            {
                int c = a.Entry.OccurredAt.CompareTo(b.Entry.OccurredAt);
                return c != 0 ? c : string.CompareOrdinal(a.Entry.EscalationId, b.Entry.EscalationId);
            });
            foreach (Row row in due)
            {
                EscalationEntry e = row.Entry;
                int n = e.ReRaises + 1;
                row.Entry = e with { ReRaises = n, LastReRaisedAt = now };
                row.Slots.AddRange(channels.Select(c => new Slot(new EscalationDelivery($"{c}@{n}", EscalationDeliveryState.Pending, 0, now, null, null))));
                Reindex(row);
                raised.Add(row.Snapshot());
            }

            return new(raised);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(string escalationId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(escalationId, out Row? row) || row.Entry.AcknowledgedAt is not null || row.Entry.ResolvedAt is not null)
            {
                return new(false);
            }

            row.Entry = row.Entry with { AcknowledgedAt = at, AcknowledgedBy = actor };
            Reindex(row);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ResolveAsync(string escalationId, string actor, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(escalationId, out Row? row) || row.Entry.ResolvedAt is not null)
            {
                return new(false);
            }

            row.Entry = row.Entry with
            {
                AcknowledgedAt = row.Entry.AcknowledgedAt ?? at,
                AcknowledgedBy = row.Entry.AcknowledgedBy ?? actor,
                ResolvedAt = at,
                ResolvedBy = actor,
                Outcome = outcome,
            };
            Reindex(row);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<EscalationErasure> EraseConversationsAsync(IReadOnlyCollection<string> conversationIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckErasure(conversationIds);
        var conversations = new HashSet<string>(conversationIds, StringComparer.Ordinal);
        lock (_gate)
        {
            int erased = 0, waiting = 0;
            foreach (Row row in _rows.Values.Where(r => conversations.Contains(r.Entry.ConversationId)).ToList())
            {
                if (row.HasPending)
                {
                    row.Entry = row.Entry with { ErasureRequestedAt = row.Entry.ErasureRequestedAt ?? EscalationRows.Time(now.UtcTicks) };
                    Reindex(row);
                    waiting++;
                }
                else
                {
                    _rows.Remove(row.Entry.EscalationId);
                    _pending.Remove(row);
                    _unacknowledged.Remove(row);
                    erased++;
                }
            }

            return new(new EscalationErasure(erased, waiting));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> EraseControlAsync(string tenant, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        EscalationRows.CheckErasure(conversationIds);
        lock (_gate)
        {
            int erased = 0;
            foreach (string id in conversationIds)
            {
                if (_controls.TryGetValue(id, out ConversationControlState? state) && string.Equals(state.Tenant, tenant, StringComparison.Ordinal) && _controls.Remove(id))
                {
                    erased++;
                }
            }

            return new(erased);
        }
    }

    /// <inheritdoc />
    public ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        lock (_gate)
        {
            return new(_controls.GetValueOrDefault(conversationId));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySetControlAsync(ConversationControlState state, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ControlRows.Check(state, expectedVersion);
        lock (_gate)
        {
            long stored = _controls.TryGetValue(state.ConversationId, out ConversationControlState? current) ? current.Version : 0;
            if (stored != expectedVersion)
            {
                return new(false);
            }

            // Stored as a SQL store reads it back: times to the tick, in UTC.
            _controls[state.ConversationId] = state with
            {
                ChangedAt = EscalationRows.Time(state.ChangedAt.UtcTicks),
                RequestedAt = state.RequestedAt is { } r ? EscalationRows.Time(r.UtcTicks) : null,
                Version = expectedVersion + 1,
            };
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListControlAsync(string? afterConversationId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _controls.Values
                .Where(c => afterConversationId is null || string.CompareOrdinal(c.ConversationId, afterConversationId) > 0)
                .OrderBy(c => c.ConversationId, StringComparer.Ordinal)
                .Take(Math.Max(0, limit))]);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationControlState>> ListActiveControlAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _controls.Values.Where(ControlRows.IsActive).OrderByDescending(c => c.ChangedAt).ThenBy(c => c.ConversationId, StringComparer.Ordinal).Take(Math.Max(0, limit))]);
        }
    }

    // Called under the gate after a row changes: keeps the two indexes true.
    private void Reindex(Row row)
    {
        if (row.HasPending)
        {
            _pending.Add(row);
        }
        else
        {
            _pending.Remove(row);
        }

        if (row.Entry is { ResolvedAt: null, AcknowledgedAt: null, ErasureRequestedAt: null })
        {
            _unacknowledged.Add(row);
        }
        else
        {
            _unacknowledged.Remove(row);
        }
    }

    private sealed class Row(EscalationEntry entry, List<Slot> slots)
    {
        public EscalationEntry Entry { get; set; } = entry;

        public List<Slot> Slots { get; } = slots;

        public bool HasPending
        {
            get
            {
                foreach (Slot slot in Slots)
                {
                    if (slot.Delivery.State == EscalationDeliveryState.Pending)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public EscalationEntry Snapshot() => Entry with { Deliveries = [.. Slots.Select(s => s.Delivery)] };
    }

    private sealed class Slot(EscalationDelivery delivery)
    {
        public EscalationDelivery Delivery { get; set; } = delivery;

        public Guid? LeaseId { get; set; }

        public DateTimeOffset? LeasedUntil { get; set; }
    }
}
