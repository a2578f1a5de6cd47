using Microsoft.Data.Sqlite;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>Damages a SQLite transcript store on disk, as a failing disk or a stray write would (fault tests only).</summary>
internal static class SqliteDamage
{
    /// <summary>
    /// Flips one byte of the sealed payload of every record at <paramref name="sequence"/> (in every conversation). The
    /// append-only trigger is dropped for the damage; the store creates it again when it next opens the file.
    /// </summary>
    /// <returns>How many records were damaged.</returns>
    public static int FlipPayloads(string database, long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        var payloads = new List<(long Id, byte[] Payload)>();
        using (SqliteCommand select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, payload FROM ek_records WHERE seq = $seq";
            select.Parameters.AddWithValue("$seq", sequence);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                payloads.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        using (SqliteCommand drop = connection.CreateCommand())
        {
            drop.CommandText = "DROP TRIGGER IF EXISTS ek_records_append_only";
            drop.ExecuteNonQuery();
        }

        foreach ((long id, byte[] payload) in payloads)
        {
            payload[^1] ^= 0x55;
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE ek_records SET payload = $payload WHERE id = $id";
            update.Parameters.AddWithValue("$payload", payload);
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
        }

        return payloads.Count;
    }
}
