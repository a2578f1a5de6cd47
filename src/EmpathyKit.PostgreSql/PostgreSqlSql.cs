using Npgsql;
using NpgsqlTypes;

namespace EmpathyKit;

/// <summary>The SQL helpers the PostgreSQL stores (transcripts and the escalation outbox, one schema) share.</summary>
internal static class PostgreSqlSql
{
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
