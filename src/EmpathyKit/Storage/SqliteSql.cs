using Microsoft.Data.Sqlite;

namespace EmpathyKit.Storage;

/// <summary>The SQL helpers the built-in SQLite stores (transcripts and the escalation outbox, one file) share.</summary>
internal static class SqliteSql
{
    /// <summary>The connection string both stores use for one file: private cache, pooled, 30 s busy timeout.</summary>
    /// <param name="databasePath">The full path.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the database's folder (owner-only) and, on Unix, the file itself readable by its owner only, before SQLite opens it.</summary>
    /// <param name="databasePath">The full path.</param>
    public static void EnsurePrivateFile(string databasePath)
    {
        string? folder = Path.GetDirectoryName(databasePath);
        if (folder is not null)
        {
            EmpathyKitPaths.EnsurePrivateDirectory(folder);
        }

        if (!File.Exists(databasePath) && !OperatingSystem.IsWindows())
        {
            try
            {
                using FileStream created = new(databasePath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            }
            catch (IOException) when (File.Exists(databasePath))
            {
                // Another store on the same file created it first.
            }
        }
    }

    public static SqliteCommand Command(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static int Execute(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(c, t, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static long Scalar(SqliteConnection c, SqliteTransaction? t, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(c, t, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<T> Query<T>(SqliteConnection c, SqliteTransaction? t, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(c, t, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static IReadOnlyList<T> Query<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters) =>
        Query(c, null, sql, map, parameters);
}
