using System.Data.Common;

namespace EmpathyKit;

/// <summary>
/// What the built-in control stores share: the checks on a state before it is written, the table's columns and the
/// statements (one text for SQLite and PostgreSQL: parameters are written <c>{p}name</c>, the table <c>{t}</c>).
/// </summary>
internal static class ControlRows
{
    /// <summary>The columns of a control row, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = "conversation, tenant, control, changed, assigned_to, operator_name, requested, outcome, version";

    /// <summary>Checks a state before it is stored.</summary>
    /// <param name="state">The state.</param>
    /// <param name="expectedVersion">The version it replaces.</param>
    /// <exception cref="ArgumentException">It cannot be stored.</exception>
    public static void Check(ConversationControlState state, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(state);
        EscalationRows.CheckId(state.ConversationId, nameof(state.ConversationId));
        EscalationRows.CheckId(state.Tenant, nameof(state.Tenant));
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (state.AssignedTo is { } a)
        {
            EscalationRows.CheckId(a, nameof(state.AssignedTo));
        }

        if (state.OperatorName is { } n)
        {
            EscalationRows.CheckId(n, nameof(state.OperatorName));
        }

        if (!Enum.IsDefined(state.Control))
        {
            throw new ArgumentException("Unknown control state.", nameof(state));
        }
    }

    /// <summary>Reads a control row (<see cref="Columns"/>).</summary>
    /// <param name="r">The reader, on the row.</param>
    /// <returns>The state.</returns>
    public static ConversationControlState Read(DbDataReader r) => new(r.GetString(0), r.GetString(1), (ConversationControl)r.GetInt32(2), EscalationRows.Time(r.GetInt64(3)))
    {
        AssignedTo = r.IsDBNull(4) ? null : r.GetString(4),
        OperatorName = r.IsDBNull(5) ? null : r.GetString(5),
        RequestedAt = r.IsDBNull(6) ? null : EscalationRows.Time(r.GetInt64(6)),
        Outcome = r.IsDBNull(7) ? null : r.GetString(7),
        Version = r.GetInt64(8),
    };

    /// <summary>The statement that inserts the first version (nothing when a row exists).</summary>
    /// <param name="table">The table, schema-qualified where needed.</param>
    /// <param name="p">The parameter prefix.</param>
    /// <returns>The SQL.</returns>
    public static string Insert(string table, char p) =>
        $"INSERT INTO {table} ({Columns}) VALUES ({p}c, {p}tenant, {p}control, {p}changed, {p}assigned, {p}name, {p}requested, {p}outcome, 1) ON CONFLICT (conversation) DO NOTHING";

    /// <summary>The statement that replaces the version the caller read.</summary>
    /// <param name="table">The table.</param>
    /// <param name="p">The parameter prefix.</param>
    /// <returns>The SQL.</returns>
    public static string Update(string table, char p) =>
        $"UPDATE {table} SET tenant = {p}tenant, control = {p}control, changed = {p}changed, assigned_to = {p}assigned, operator_name = {p}name, requested = {p}requested, " +
        $"outcome = {p}outcome, version = version + 1 WHERE conversation = {p}c AND version = {p}expected";

    /// <summary>The statement that lists the active rows, newest change first.</summary>
    /// <param name="table">The table.</param>
    /// <param name="p">The parameter prefix.</param>
    /// <returns>The SQL.</returns>
    public static string ListActive(string table, char p) =>
        $"SELECT {Columns} FROM {table} WHERE control IN (1, 2) OR (assigned_to IS NOT NULL AND control <> 3) ORDER BY changed DESC, conversation LIMIT {p}max";

    /// <summary>The statement that pages through every row in conversation-id order (after <c>{p}after</c> when <paramref name="after"/>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="p">The parameter prefix.</param>
    /// <param name="after">Whether the page starts after a given id.</param>
    /// <param name="ordinal">How the dialect orders ids by code point (SQLite's default; <c> COLLATE "C"</c> on PostgreSQL).</param>
    /// <returns>The SQL.</returns>
    public static string ListAfter(string table, char p, bool after, string ordinal = "") =>
        $"SELECT {Columns} FROM {table} {(after ? $"WHERE conversation{ordinal} > {p}after " : string.Empty)}ORDER BY conversation{ordinal} LIMIT {p}max";

    /// <summary>The parameters of <see cref="Insert"/> and <see cref="Update"/>, named without their prefix.</summary>
    /// <param name="state">The state.</param>
    /// <param name="expectedVersion">The version it replaces.</param>
    /// <returns>The parameters.</returns>
    public static (string Name, object? Value)[] Parameters(ConversationControlState state, long expectedVersion) =>
    [
        ("c", state.ConversationId), ("tenant", state.Tenant), ("control", (int)state.Control), ("changed", state.ChangedAt.UtcTicks),
        ("assigned", state.AssignedTo), ("name", state.OperatorName), ("requested", state.RequestedAt?.UtcTicks), ("outcome", state.Outcome), ("expected", expectedVersion),
    ];

    /// <summary>Whether the in-memory store lists a state as active (as <see cref="ListActive"/> does).</summary>
    /// <param name="state">The state.</param>
    /// <returns>Whether it is active.</returns>
    public static bool IsActive(ConversationControlState state) =>
        state.Control is ConversationControl.HumanRequested or ConversationControl.Human || (state.AssignedTo is not null && state.Control != ConversationControl.Closed);
}
