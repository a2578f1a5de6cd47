using Microsoft.Data.Sqlite;

namespace EmpathyKit;

/// <summary>
/// The embedded default transcript store: one SQLite file in WAL mode with <c>synchronous=FULL</c> and
/// <c>secure_delete</c> on. It holds sealed records only (ciphertext under pseudonymous conversation keys).
/// </summary>
/// <remarks>The database file is created readable by its owner only on Unix. Safe for concurrent use within a process.</remarks>
public sealed class SqliteTranscriptStore : ITranscriptStore
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _initialized;

    /// <summary>Initializes a new instance of the <see cref="SqliteTranscriptStore"/> class.</summary>
    /// <param name="databasePath">The database file; it and its folder are created if missing.</param>
    public SqliteTranscriptStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _initialized = new Lazy<Task>(InitializeAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public async ValueTask AppendAsync(string conversationKey, IReadOnlyList<SealedRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentNullException.ThrowIfNull(records);
        await _initialized.Value.ConfigureAwait(false);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO transcript_records (conversation, record_id, created_utc_ticks, payload) VALUES ($conversation, $id, $created, $payload)";
        SqliteParameter conversation = command.Parameters.Add("$conversation", SqliteType.Text);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Blob);
        SqliteParameter created = command.Parameters.Add("$created", SqliteType.Integer);
        SqliteParameter payload = command.Parameters.Add("$payload", SqliteType.Blob);
        foreach (SealedRecord record in records)
        {
            conversation.Value = conversationKey;
            id.Value = record.RecordId.ToByteArray(bigEndian: true);
            created.Value = record.CreatedAt.UtcTicks;
            payload.Value = record.Payload.ToArray();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SealedRecord>> ReadAsync(string conversationKey, int maxRecords, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationKey);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecords);
        await _initialized.Value.ConfigureAwait(false);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT record_id, created_utc_ticks, payload FROM transcript_records WHERE conversation = $conversation ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$conversation", conversationKey);
        command.Parameters.AddWithValue("$limit", maxRecords);
        var records = new List<SealedRecord>();
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new Guid((byte[])reader[0], bigEndian: true);
            var created = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
            records.Add(new SealedRecord(id, created, (byte[])reader[2]));
        }

        records.Reverse();
        return records;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        string? folder = Path.GetDirectoryName(DatabasePath);
        if (folder is not null)
        {
            EmpathyKitPaths.EnsurePrivateDirectory(folder);
        }

        bool created = !File.Exists(DatabasePath);
        using SqliteConnection connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
        if (created && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS transcript_records (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation TEXT NOT NULL,
                record_id BLOB NOT NULL UNIQUE,
                created_utc_ticks INTEGER NOT NULL,
                payload BLOB NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_transcript_records_conversation ON transcript_records (conversation, seq);
            """;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
