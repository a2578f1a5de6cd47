using Npgsql;
using NpgsqlTypes;

namespace EmpathyKit;

/// <summary>The SQL helpers the PostgreSQL stores (transcripts and the escalation outbox, one schema) share.</summary>
internal static class PostgreSqlSql
{
    /// <summary>Runs a read on a connection of its own, once the schema is ready.</summary>
    public static async ValueTask<T> ReadAsync<T>(NpgsqlDataSource source, Lazy<Task> initialized, Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a write in one transaction, once the schema is ready, under a transaction-scoped advisory lock when <paramref name="advisoryLock"/> names one.</summary>
    public static async ValueTask<T> WriteAsync<T>(NpgsqlDataSource source, Lazy<Task> initialized, string? advisoryLock, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (advisoryLock is not null)
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext(@lock))", cancellationToken, ("lock", advisoryLock)).ConfigureAwait(false);
        }

        T result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? t, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, c, t);
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter(name, DBNull.Value),
                byte[] bytes => new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = bytes },
                _ => new NpgsqlParameter(name, value),
            });
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        using NpgsqlCommand command = Command(c, t, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<long> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        using NpgsqlCommand command = Command(c, t, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(NpgsqlConnection c, NpgsqlTransaction? t, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        using NpgsqlCommand command = Command(c, t, sql, parameters);
        using NpgsqlDataReader reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }
}
