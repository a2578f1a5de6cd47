using EmpathyKit.Escalation.Storage;
using System.Data.Common;

namespace EmpathyKit;

/// <summary>
/// What the built-in escalation stores share: the checks on an entry before it is written, and how an assessment's
/// lists are kept in a text column (names joined by commas; a comma inside a name becomes <c>_</c>).
/// </summary>
internal static class EscalationRows
{
    /// <summary>The longest id, conversation id, channel name or actor the stores accept.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Checks an entry before it is added: ids present and bounded, channels unique, every delivery pending.</summary>
    /// <param name="entry">The entry.</param>
    /// <exception cref="ArgumentException">The entry cannot be stored.</exception>
    public static void Check(EscalationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        CheckId(entry.EscalationId, nameof(entry.EscalationId));
        if (entry.ConversationId is null || entry.ConversationId.Length > MaxIdLength)
        {
            throw new ArgumentException($"An escalation's conversation id is at most {MaxIdLength} characters.", nameof(entry));
        }

        var channels = new HashSet<string>(StringComparer.Ordinal);
        foreach (EscalationDelivery delivery in entry.Deliveries)
        {
            CheckId(delivery.Channel, "Channel");
            if (!channels.Add(delivery.Channel) || delivery.State != EscalationDeliveryState.Pending)
            {
                throw new ArgumentException("An escalation's deliveries are added pending, one per channel.", nameof(entry));
            }
        }
    }

    /// <summary>Checks an id, a channel name or an actor: 1 to 128 characters, no control characters.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">Its name, for the message.</param>
    /// <exception cref="ArgumentException">It is empty, too long or has control characters.</exception>
    public static void CheckId(string value, string name)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdLength || value.Any(char.IsControl))
        {
            throw new ArgumentException($"{name} must be 1 to {MaxIdLength} characters without control characters.", name);
        }
    }

    /// <summary>Joins names for a text column.</summary>
    /// <param name="names">The names.</param>
    /// <returns>The column's value.</returns>
    public static string Join(IEnumerable<string> names) => string.Join(',', names.Select(n => n.Replace(',', '_')));

    /// <summary>Splits a text column's names.</summary>
    /// <param name="value">The column's value.</param>
    /// <returns>The names.</returns>
    public static string[] Split(string value) => value.Length == 0 ? [] : value.Split(',');

    /// <summary>Joins categories by name.</summary>
    /// <param name="categories">The categories.</param>
    /// <returns>The column's value.</returns>
    public static string JoinCategories(IEnumerable<CrisisCategory> categories) => Join(categories.Select(c => c.ToString()));

    /// <summary>Reads categories back; a name this version does not know is skipped.</summary>
    /// <param name="value">The column's value.</param>
    /// <returns>The categories.</returns>
    public static CrisisCategory[] SplitCategories(string value) =>
        [.. Split(value).Select(n => Enum.TryParse(n, out CrisisCategory c) ? (CrisisCategory?)c : null).OfType<CrisisCategory>()];

    /// <summary>Makes the assessment a stored entry carries from its columns.</summary>
    /// <param name="level">The level.</param>
    /// <param name="rung">The rung.</param>
    /// <param name="categories">The categories column.</param>
    /// <param name="signals">The signals column.</param>
    /// <param name="constructs">The constructs column.</param>
    /// <returns>The assessment.</returns>
    public static CrisisAssessment Assessment(int level, int rung, string categories, string signals, string constructs) =>
        new((RiskLevel)level, SplitCategories(categories), Split(signals)) { Rung = (CrisisRung)rung, Constructs = Split(constructs) };

    /// <summary>The columns of an escalation row, in the order <see cref="ReadEntry"/> reads them.</summary>
    public const string EntryColumns = "id, conversation, occurred, level, rung, categories, signals, constructs, acknowledged, acknowledged_by, resolved, resolved_by, outcome, re_raises, re_raised, erase_requested";

    /// <summary>The columns of a delivery row, in the order <see cref="ReadDelivery"/> reads them.</summary>
    public const string DeliveryColumns = "channel, state, attempts, next_attempt, delivered, last_error";

    /// <summary>Reads an escalation row (<see cref="EntryColumns"/>; times in UTC ticks), without its deliveries.</summary>
    /// <param name="r">The reader, on the row.</param>
    /// <returns>The entry.</returns>
    public static EscalationEntry ReadEntry(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Time(r.GetInt64(2)), Assessment(r.GetInt32(3), r.GetInt32(4), r.GetString(5), r.GetString(6), r.GetString(7)), [])
    {
        AcknowledgedAt = r.IsDBNull(8) ? null : Time(r.GetInt64(8)),
        AcknowledgedBy = r.IsDBNull(9) ? null : r.GetString(9),
        ResolvedAt = r.IsDBNull(10) ? null : Time(r.GetInt64(10)),
        ResolvedBy = r.IsDBNull(11) ? null : r.GetString(11),
        Outcome = r.IsDBNull(12) ? null : r.GetString(12),
        ReRaises = r.GetInt32(13),
        LastReRaisedAt = r.IsDBNull(14) ? null : Time(r.GetInt64(14)),
        ErasureRequestedAt = r.IsDBNull(15) ? null : Time(r.GetInt64(15)),
    };

    /// <summary>
    /// Deletes an escalation marked for erasure, and its deliveries, once none of them is pending (run after a delivery
    /// finishes): two statements, deliveries first, the escalation's id in the parameter <c>id</c>.
    /// </summary>
    /// <param name="escalations">The escalation table's (qualified) name.</param>
    /// <param name="deliveries">The delivery table's (qualified) name.</param>
    /// <param name="p">The parameter prefix (<c>$</c> or <c>@</c>).</param>
    /// <returns>The statements.</returns>
    public static string[] SweepErased(string escalations, string deliveries, char p) =>
    [
        $"DELETE FROM {deliveries} WHERE escalation = {p}id AND EXISTS (SELECT 1 FROM {escalations} WHERE id = {p}id AND erase_requested IS NOT NULL) " +
        $"AND NOT EXISTS (SELECT 1 FROM {deliveries} WHERE escalation = {p}id AND state = 0)",
        $"DELETE FROM {escalations} WHERE id = {p}id AND erase_requested IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {deliveries} WHERE escalation = {p}id)",
    ];

    /// <summary>The re-raise query's filter: open, unacknowledged, not marked for erasure, under the limit, last raised at or before the cutoff (parameters <c>max</c> and <c>cutoff</c>).</summary>
    /// <param name="p">The parameter prefix (<c>$</c> or <c>@</c>).</param>
    /// <returns>The condition.</returns>
    public static string ReRaiseFilter(char p) =>
        $"resolved IS NULL AND acknowledged IS NULL AND erase_requested IS NULL AND re_raises < {p}max AND COALESCE(re_raised, occurred) <= {p}cutoff";

    /// <summary>The partial index the re-raise query reads, so an idle worker's pass touches only the unacknowledged rows (<paramref name="table"/> qualified).</summary>
    /// <param name="name">The index's (unqualified) name.</param>
    /// <param name="table">The table.</param>
    /// <returns>The statement.</returns>
    public static string ReRaiseIndex(string name, string table) =>
        $"CREATE INDEX IF NOT EXISTS {name} ON {table} (occurred, id) WHERE resolved IS NULL AND acknowledged IS NULL AND erase_requested IS NULL;";

    /// <summary>Reads a delivery row (<see cref="DeliveryColumns"/>).</summary>
    /// <param name="r">The reader, on the row.</param>
    /// <returns>The delivery.</returns>
    public static EscalationDelivery ReadDelivery(DbDataReader r) => new(
        r.GetString(0), (EscalationDeliveryState)r.GetInt32(1), r.GetInt32(2), Time(r.GetInt64(3)), r.IsDBNull(4) ? null : Time(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetString(5));

    /// <summary>A stored time (UTC ticks).</summary>
    /// <param name="ticks">The ticks.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Gives an entry's assessment the form the text columns keep (what a SQL store reads back), for the in-memory store.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The entry as stored.</returns>
    public static EscalationEntry Normalize(EscalationEntry entry)
    {
        CrisisAssessment a = entry.Assessment;
        return entry with { Assessment = Assessment((int)a.Level, (int)a.Rung, JoinCategories(a.Categories), Join(a.Signals), Join(a.Constructs)) };
    }

    /// <summary>Checks an erasure's conversation ids: present, at most <see cref="IEscalationStore.MaxErasureBatch"/>, none null.</summary>
    /// <param name="conversationIds">The ids.</param>
    /// <exception cref="ArgumentException">Too many, or one is null.</exception>
    public static void CheckErasure(IReadOnlyCollection<string> conversationIds)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        if (conversationIds.Count > IEscalationStore.MaxErasureBatch || conversationIds.Any(id => id is null))
        {
            throw new ArgumentException($"An erasure takes at most {IEscalationStore.MaxErasureBatch} conversation ids, none null.", nameof(conversationIds));
        }
    }

    /// <summary>Checks a list call's limit.</summary>
    /// <param name="limit">The limit.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not 1 to 1,000.</exception>
    public static void CheckLimit(int limit)
    {
        if (limit is < 1 or > 1_000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "A list's limit is 1 to 1,000.");
        }
    }
}
