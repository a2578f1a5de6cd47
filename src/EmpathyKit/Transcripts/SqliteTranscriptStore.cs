using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;
using EmpathyKit.Storage;
using Microsoft.Data.Sqlite;
using static EmpathyKit.Storage.SqliteSql;

namespace EmpathyKit;

/// <summary>
/// The embedded default transcript store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (every commit is
/// on disk before it is acknowledged) and <c>secure_delete</c> on; after an erasure or purge the WAL is checkpointed
/// with TRUNCATE so deleted bytes do not linger in it. Records and the audit log are append-only (triggers refuse
/// updates; only erasure and purge delete records).
/// </summary>
/// <remarks>
/// The file is created readable by its owner only on Unix. Writes go through one connection per store instance and
/// <c>BEGIN IMMEDIATE</c>, so several processes can share the file (SQLite's busy handler waits up to 30 s for the
/// write lock; writers are not queued fairly, so many concurrent writers belong on PostgreSQL).
/// </remarks>
public sealed class SqliteTranscriptStore : ITranscriptStore, ITranscriptStorageCheck, IEscalationStoreSource, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS ek_keys (
            id BLOB PRIMARY KEY, kind INTEGER NOT NULL, created INTEGER NOT NULL, activates INTEGER NOT NULL,
            expires INTEGER NOT NULL, revoked INTEGER, destroyed INTEGER, root_key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_ek_keys_index ON ek_keys (kind) WHERE kind = 2;
        CREATE TABLE IF NOT EXISTS ek_subject_keys (
            tenant TEXT NOT NULL, subject TEXT NOT NULL, key_id BLOB NOT NULL, master_key_id BLOB NOT NULL,
            created INTEGER NOT NULL, wrapped BLOB NOT NULL, PRIMARY KEY (tenant, subject));
        CREATE INDEX IF NOT EXISTS ix_ek_subject_keys_master ON ek_subject_keys (master_key_id);
        CREATE TABLE IF NOT EXISTS ek_conversations (
            conversation TEXT PRIMARY KEY, tenant TEXT NOT NULL, subject TEXT NOT NULL, base_seq INTEGER NOT NULL,
            base_hash BLOB NOT NULL, next_seq INTEGER NOT NULL, last_hash BLOB NOT NULL, checkpoint BLOB NOT NULL,
            label BLOB NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_ek_conversations_subject ON ek_conversations (tenant, subject);
        CREATE TABLE IF NOT EXISTS ek_records (
            id INTEGER PRIMARY KEY, conversation TEXT NOT NULL, seq INTEGER NOT NULL, created INTEGER NOT NULL,
            expires INTEGER NOT NULL, prev_hash BLOB NOT NULL, payload BLOB NOT NULL, UNIQUE (conversation, seq));
        CREATE INDEX IF NOT EXISTS ix_ek_records_expires ON ek_records (expires);
        CREATE TABLE IF NOT EXISTS ek_tombstones (
            erasure_id BLOB PRIMARY KEY, tenant TEXT NOT NULL, subject TEXT NOT NULL, erased INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_ek_tombstones_subject ON ek_tombstones (tenant, subject);
        CREATE TABLE IF NOT EXISTS ek_audit (
            seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT, tenant TEXT, subject TEXT,
            conversation TEXT, detail TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
        CREATE TRIGGER IF NOT EXISTS ek_records_append_only BEFORE UPDATE ON ek_records
            BEGIN SELECT RAISE(ABORT, 'transcript records are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS ek_audit_no_update BEFORE UPDATE ON ek_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS ek_audit_no_delete BEFORE DELETE ON ek_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;

    private const string HeadColumns = "conversation, tenant, subject, base_seq, base_hash, next_seq, last_hash, checkpoint, label, created, updated";
    private const string KeyColumns = "id, kind, created, activates, expires, revoked, destroyed, root_key_id, wrapped";
    private const string HighWaterMarkFormat = "empathykit-high-water-mark/1";
    private const int HighWaterMarkBytes = 160;
    private const string AuditColumns = "seq, at, kind, actor, tenant, subject, conversation, detail, prev_hash, hash";

    private readonly string _connectionString;
    private readonly Lazy<Task> _initialized;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private FileStream? _mark;
    private AuditEntry? _lastAudit;
    private SqliteEscalationStore? _escalations;

    /// <summary>Initializes a new instance of the <see cref="SqliteTranscriptStore"/> class.</summary>
    /// <param name="databasePath">The database file; it and its folder are created if missing.</param>
    public SqliteTranscriptStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = ConnectionString(DatabasePath);
        _initialized = new Lazy<Task>(InitializeAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the path of the high-water mark file kept beside the database (<c>.hwm</c>).</summary>
    public string HighWaterMarkPath => DatabasePath + ".hwm";

    /// <inheritdoc />
    /// <remarks>
    /// Runs <c>PRAGMA integrity_check</c> (at most 100 findings) on a connection of its own, then compares the audit
    /// log's head with the high-water mark: after every write the store records, in a small file beside the database
    /// and outside the WAL, the sequence and hash of the last audit entry (every write appends one). A log that ends
    /// before the mark lost its last transactions (a truncated or deleted WAL after a crash); an entry at the mark's
    /// sequence with another hash means the log was replaced or rolled back. The mark is one fixed-size record written
    /// in place, not flushed to disk on each write: it survives a killed process, and after a power loss it can lag
    /// (never lead).
    /// </remarks>
    public ValueTask<IReadOnlyList<string>> CheckStorageAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            c =>
            {
                IReadOnlyList<string> rows = Query(c, "PRAGMA integrity_check(100);", r => r.GetString(0));
                var findings = new List<string>(rows is ["ok"] ? [] : rows);
                (long Seq, byte[] Hash)? head = Query(c, "SELECT seq, hash FROM ek_audit ORDER BY seq DESC LIMIT 1", r => (r.GetInt64(0), (byte[])r[1])).Select(h => ((long, byte[])?)h).FirstOrDefault();
                findings.AddRange(CompareWithMark(c, head));
                return findings;
            },
            cancellationToken);

    private IEnumerable<string> CompareWithMark(SqliteConnection c, (long Seq, byte[] Hash)? head)
    {
        string[]? mark = null;
        try
        {
            if (File.Exists(HighWaterMarkPath))
            {
                using var stream = new FileStream(HighWaterMarkPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
                mark = [.. reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
            }
        }
        catch (IOException)
        {
            mark = ["unreadable"];
        }

        if (mark is null)
        {
            if (head is { } present)
            {
                yield return $"no high-water mark beside a store whose audit log has {present.Seq + 1} entries: the mark was deleted, or the store was last written before marks were kept (the next write makes one)";
            }

            yield break;
        }

        if (mark is not [HighWaterMarkFormat, var seqText, var hashText] || !long.TryParse(seqText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long markSeq))
        {
            yield return "the high-water mark file is not readable as one";
            yield break;
        }

        long presentSeq = head?.Seq ?? -1;
        if (markSeq > presentSeq)
        {
            yield return $"the audit log ends at entry {presentSeq}, but entry {markSeq} was written (high-water mark): the last {markSeq - presentSeq} transactions were lost, as with a truncated or deleted WAL";
            yield break;
        }

        byte[]? atMark = Query(c, "SELECT hash FROM ek_audit WHERE seq = $s", r => (byte[])r[0], ("$s", markSeq)).FirstOrDefault();
        if (atMark is null || !string.Equals(Convert.ToHexString(atMark), hashText, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"audit entry {markSeq} is not the one the high-water mark names: the log was replaced or rolled back";
        }
    }

    /// <summary>
    /// Records the audit log's head in the high-water mark file: one fixed-size record written in place at offset 0
    /// on a handle kept open (a rename per write cost more than the write it marks), reopened when the file is gone.
    /// </summary>
    private void WriteHighWaterMark()
    {
        if (_lastAudit is not { } head)
        {
            return;
        }

        _lastAudit = null;

        try
        {
            if (_mark is null || !File.Exists(HighWaterMarkPath))
            {
                _mark?.Dispose();
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                _mark = new FileStream(HighWaterMarkPath, options);
            }

            // Padded to a fixed size so that a shorter record never leaves the tail of a longer one.
            string record = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{HighWaterMarkFormat}\n{head.Sequence}\n{Convert.ToHexString(head.Hash.Span)}\n").PadRight(HighWaterMarkBytes);
            RandomAccess.Write(_mark.SafeFileHandle, System.Text.Encoding.ASCII.GetBytes(record), 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The transaction is committed; a mark that could not be written only lags (verify then sees less, never a
            // false loss), so the write is not failed for it.
            _mark?.Dispose();
            _mark = null;
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, $"SELECT {KeyColumns} FROM ek_keys ORDER BY created, id", ReadKey), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryAddKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            (c, t) =>
            {
                bool exists = Scalar(c, t, "SELECT COUNT(*) FROM ek_keys WHERE id = $id OR ($kind = 2 AND kind = 2)", ("$id", key.Id.ToByteArray(true)), ("$kind", (int)key.Kind)) > 0;
                if (exists)
                {
                    return false;
                }

                Execute(c, t, $"INSERT INTO ek_keys ({KeyColumns}) VALUES ($id, $kind, $created, $activates, $expires, $revoked, $destroyed, $root, $wrapped)", KeyParameters(key));
                AppendAudit(c, t, audit, sealer);
                return true;
            },
            checkpoint: false,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask UpdateKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return AsVoid(WriteAsync(
            (c, t) =>
            {
                if (Execute(c, t, "UPDATE ek_keys SET kind = $kind, created = $created, activates = $activates, expires = $expires, revoked = $revoked, destroyed = $destroyed, root_key_id = $root, wrapped = $wrapped WHERE id = $id", KeyParameters(key)) != 1)
                {
                    throw new InvalidOperationException("No such key.");
                }

                AppendAudit(c, t, audit, sealer);
                return true;
            },
            checkpoint: key.DestroyedAt is not null,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<StoredSubjectKey?> GetSubjectKeyAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM ek_subject_keys WHERE tenant = $t AND subject = $s", ReadSubjectKey, ("$t", tenant), ("$s", subject)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSubjectKey> GetOrAddSubjectKeyAsync(StoredSubjectKey candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return WriteAsync(
            (c, t) =>
            {
                Execute(c, t, "INSERT OR IGNORE INTO ek_subject_keys (tenant, subject, key_id, master_key_id, created, wrapped) VALUES ($t, $s, $k, $m, $c, $w)",
                    ("$t", candidate.Tenant), ("$s", candidate.Subject), ("$k", candidate.KeyId.ToByteArray(true)), ("$m", candidate.MasterKeyId.ToByteArray(true)),
                    ("$c", candidate.CreatedAt.UtcTicks), ("$w", candidate.WrappedKey.ToArray()));
                return Query(c, t, "SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM ek_subject_keys WHERE tenant = $t AND subject = $s", ReadSubjectKey, ("$t", candidate.Tenant), ("$s", candidate.Subject))[0];
            },
            checkpoint: false,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSubjectKey>> GetSubjectKeysWrappedByAsync(Guid masterKeyId, int maxKeys, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM ek_subject_keys WHERE master_key_id = $m LIMIT $n", ReadSubjectKey, ("$m", masterKeyId.ToByteArray(true)), ("$n", maxKeys)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryReplaceSubjectKeyAsync(StoredSubjectKey rewrapped, Guid expectedMasterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrapped);
        return WriteAsync(
            (c, t) => Execute(c, t, "UPDATE ek_subject_keys SET master_key_id = $m, wrapped = $w WHERE tenant = $t AND subject = $s AND key_id = $k AND master_key_id = $old",
                ("$m", rewrapped.MasterKeyId.ToByteArray(true)), ("$w", rewrapped.WrappedKey.ToArray()), ("$t", rewrapped.Tenant), ("$s", rewrapped.Subject),
                ("$k", rewrapped.KeyId.ToByteArray(true)), ("$old", expectedMasterKeyId.ToByteArray(true))) == 1,
            checkpoint: false,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, $"SELECT {HeadColumns} FROM ek_conversations WHERE conversation = $c", ReadHead, ("$c", conversation)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, $"SELECT {HeadColumns} FROM ek_conversations WHERE tenant = $t AND subject = $s ORDER BY created, conversation", ReadHead, ("$t", tenant), ("$s", subject)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListConversationsAsync(string? after, int maxConversations, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT conversation FROM ek_conversations WHERE conversation > $after ORDER BY conversation LIMIT $n", r => r.GetString(0), ("$after", after ?? string.Empty), ("$n", maxConversations)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT conversation, seq, created, expires, prev_hash, payload FROM ek_records WHERE conversation = $c AND seq >= $from ORDER BY seq LIMIT $n", ReadRecord, ("$c", conversation), ("$from", fromSequence), ("$n", maxRecords)), cancellationToken);

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(sealer);
        return AsVoid(WriteAsync(
            (c, t) =>
            {
                using SqliteCommand insert = Command(c, t, "INSERT INTO ek_records (conversation, seq, created, expires, prev_hash, payload) VALUES ($c, $seq, $created, $expires, $prev, $payload)");
                SqliteParameter conversation = insert.Parameters.Add("$c", SqliteType.Text);
                SqliteParameter seq = insert.Parameters.Add("$seq", SqliteType.Integer);
                SqliteParameter created = insert.Parameters.Add("$created", SqliteType.Integer);
                SqliteParameter expires = insert.Parameters.Add("$expires", SqliteType.Integer);
                SqliteParameter prev = insert.Parameters.Add("$prev", SqliteType.Blob);
                SqliteParameter payload = insert.Parameters.Add("$payload", SqliteType.Blob);
                foreach (TranscriptAppendBatch batch in batches)
                {
                    IReadOnlyList<byte[]> keyIds = Query(c, t, "SELECT key_id FROM ek_subject_keys WHERE tenant = $t AND subject = $s", r => (byte[])r[0], ("$t", batch.Tenant), ("$s", batch.Subject));
                    if (keyIds.Count == 0 || new Guid(keyIds[0], bigEndian: true) != batch.SubjectKeyId)
                    {
                        throw new TranscriptAccessException("The subject's data key is gone or was replaced: an erasure came first.");
                    }

                    ConversationHead? head = Query(c, t, $"SELECT {HeadColumns} FROM ek_conversations WHERE conversation = $c", ReadHead, ("$c", batch.Conversation)).FirstOrDefault();
                    SealedAppend sealedAppend = batch.Seal(head);
                    foreach (StoredRecord record in sealedAppend.Records)
                    {
                        conversation.Value = record.Conversation;
                        seq.Value = record.Sequence;
                        created.Value = record.CreatedAt.UtcTicks;
                        expires.Value = record.ExpiresAt.UtcTicks;
                        prev.Value = record.PreviousHash.ToArray();
                        payload.Value = record.Payload.ToArray();
                        insert.ExecuteNonQuery();
                    }

                    ConversationHead h = sealedAppend.Head;
                    Execute(c, t, $"INSERT INTO ek_conversations ({HeadColumns}) VALUES ($c, $t, $s, $bs, $bh, $ns, $lh, $cp, $l, $cr, $up) "
                        + "ON CONFLICT (conversation) DO UPDATE SET base_seq = excluded.base_seq, base_hash = excluded.base_hash, next_seq = excluded.next_seq, last_hash = excluded.last_hash, checkpoint = excluded.checkpoint, updated = excluded.updated",
                        HeadParameters(h));
                    AppendAudit(c, t, batch.Audit, sealer);
                }

                return true;
            },
            checkpoint: false,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ErasureCounts> EraseSubjectAsync(Tombstone tombstone, Func<ErasureCounts, AuditDraft> audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        ArgumentNullException.ThrowIfNull(audit);
        return WriteAsync(
            (c, t) =>
            {
                (string, object?) tenant = ("$t", tombstone.Tenant);
                (string, object?) subject = ("$s", tombstone.Subject);
                long records = Scalar(c, t, "SELECT COUNT(*) FROM ek_records WHERE conversation IN (SELECT conversation FROM ek_conversations WHERE tenant = $t AND subject = $s)", tenant, subject);
                Execute(c, t, "DELETE FROM ek_records WHERE conversation IN (SELECT conversation FROM ek_conversations WHERE tenant = $t AND subject = $s)", tenant, subject);
                int conversations = Execute(c, t, "DELETE FROM ek_conversations WHERE tenant = $t AND subject = $s", tenant, subject);
                bool keyDestroyed = Execute(c, t, "DELETE FROM ek_subject_keys WHERE tenant = $t AND subject = $s", tenant, subject) > 0;
                Execute(c, t, "INSERT INTO ek_tombstones (erasure_id, tenant, subject, erased) VALUES ($id, $t, $s, $at)", ("$id", tombstone.ErasureId.ToByteArray(true)), tenant, subject, ("$at", tombstone.ErasedAt.UtcTicks));
                var counts = new ErasureCounts(conversations, records, keyDestroyed);
                AppendAudit(c, t, audit(counts), sealer);
                return counts;
            },
            checkpoint: true,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Tombstone>> GetTombstonesAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT tenant, subject, erasure_id, erased FROM ek_tombstones WHERE tenant = $t AND subject = $s ORDER BY erased", r => new Tombstone(r.GetString(0), r.GetString(1), new Guid((byte[])r[2], bigEndian: true), Time(r.GetInt64(3))), ("$t", tenant), ("$s", subject)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExpiredRange>> FindExpiredAsync(DateTimeOffset now, int maxConversations, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, "SELECT conversation, MAX(seq) FROM ek_records WHERE expires <= $now GROUP BY conversation ORDER BY conversation LIMIT $n", r => new ExpiredRange(r.GetString(0), r.GetInt64(1)), ("$now", now.UtcTicks), ("$n", maxConversations)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> PurgeAsync(string conversation, long throughSequence, Func<ConversationHead, long, ReadOnlyMemory<byte>, ConversationHead> rebase, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rebase);
        return WriteAsync(
            (c, t) =>
            {
                ConversationHead? head = Query(c, t, $"SELECT {HeadColumns} FROM ek_conversations WHERE conversation = $c", ReadHead, ("$c", conversation)).FirstOrDefault();
                if (head is null)
                {
                    return 0L;
                }

                long through = Math.Min(throughSequence, head.NextSequence - 1);
                byte[] baseHash = Query(c, t, "SELECT prev_hash FROM ek_records WHERE conversation = $c AND seq = $next", r => (byte[])r[0], ("$c", conversation), ("$next", through + 1)).FirstOrDefault() ?? head.LastHash.ToArray();
                ConversationHead rebased = rebase(head, through + 1, baseHash);
                long deleted = Execute(c, t, "DELETE FROM ek_records WHERE conversation = $c AND seq <= $through", ("$c", conversation), ("$through", through));
                Execute(c, t, "UPDATE ek_conversations SET base_seq = $bs, base_hash = $bh, checkpoint = $cp WHERE conversation = $c", ("$bs", rebased.BaseSequence), ("$bh", rebased.BaseHash.ToArray()), ("$cp", rebased.Checkpoint.ToArray()), ("$c", conversation));
                AppendAudit(c, t, audit, sealer);
                return deleted;
            },
            checkpoint: true,
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<AuditEntry> AppendAuditAsync(AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) =>
        WriteAsync((c, t) => AppendAudit(c, t, audit, sealer), checkpoint: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default) =>
        ReadAsync(c => Query(c, $"SELECT {AuditColumns} FROM ek_audit WHERE seq >= $from ORDER BY seq LIMIT $n", ReadAudit, ("$from", fromSequence), ("$n", maxEntries)), cancellationToken);

    /// <inheritdoc />
    /// <remarks>The outbox's tables are in this store's file (<see cref="SqliteEscalationStore"/>).</remarks>
    public IEscalationStore GetEscalationStore() => LazyInitializer.EnsureInitialized(ref _escalations, () => new SqliteEscalationStore(DatabasePath));

    /// <summary>Closes the store's write connection.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _mark?.Dispose();
        _mark = null;
        _writeLock.Dispose();
    }

    private static async ValueTask AsVoid<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

    private async ValueTask<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        await _initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return read(connection);
    }

    private async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool checkpoint, CancellationToken cancellationToken)
    {
        await _initialized.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            T result;
            try
            {
                _writer ??= OpenWriter();
                using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
                _lastAudit = null;
                result = work(_writer, transaction);
                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
                WriteHighWaterMark();
            }
            catch (SqliteException ex)
            {
                // The connection may be unusable (I/O error, disk full): open a fresh one next time.
                _writer?.Dispose();
                _writer = null;
                if (PermanentFailure(ex) is { } condition)
                {
                    throw new TranscriptStorageException($"The transcript database {condition}.", isTransient: false, ex);
                }

                throw;
            }

            if (checkpoint)
            {
                Execute(_writer, null, "PRAGMA wal_checkpoint(TRUNCATE);");
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The storage conditions that trying again does not cure (the write queue then fails the write at once).</summary>
    private static string? PermanentFailure(SqliteException ex) => ex.SqliteErrorCode switch
    {
        8 => "is read-only (SQLITE_READONLY)",
        11 => "is damaged (SQLITE_CORRUPT)",
        13 => "or its disk is full (SQLITE_FULL)",
        14 => "cannot be opened (SQLITE_CANTOPEN)",
        26 => "is not a database (SQLITE_NOTADB)",
        _ => null,
    };

    private SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, null, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private Task InitializeAsync()
    {
        EnsurePrivateFile(DatabasePath);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA secure_delete=ON;" + Schema);
        return Task.CompletedTask;
    }

    private AuditEntry AppendAudit(SqliteConnection c, SqliteTransaction? t, AuditDraft audit, IAuditSealer sealer)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(sealer);
        AuditEntry? last = Query(c, t, $"SELECT {AuditColumns} FROM ek_audit ORDER BY seq DESC LIMIT 1", ReadAudit).FirstOrDefault();
        AuditEntry entry = sealer.Seal(last, audit);
        Execute(c, t, $"INSERT INTO ek_audit ({AuditColumns}) VALUES ($seq, $at, $kind, $actor, $t, $s, $c, $d, $prev, $hash)",
            ("$seq", entry.Sequence), ("$at", entry.At.UtcTicks), ("$kind", entry.Kind), ("$actor", entry.Actor), ("$t", entry.Tenant), ("$s", entry.Subject),
            ("$c", entry.Conversation), ("$d", entry.Detail), ("$prev", entry.PreviousHash.ToArray()), ("$hash", entry.Hash.ToArray()));

        // Under the write lock: the entry the high-water mark records once this transaction commits.
        _lastAudit = entry;
        return entry;
    }

    private static (string, object?)[] KeyParameters(StoredKey key) =>
    [
        ("$id", key.Id.ToByteArray(true)), ("$kind", (int)key.Kind), ("$created", key.CreatedAt.UtcTicks), ("$activates", key.ActivatesAt.UtcTicks),
        ("$expires", key.ExpiresAt.UtcTicks), ("$revoked", key.RevokedAt?.UtcTicks), ("$destroyed", key.DestroyedAt?.UtcTicks), ("$root", key.RootKeyId), ("$wrapped", key.WrappedKey.ToArray()),
    ];

    private static (string, object?)[] HeadParameters(ConversationHead h) =>
    [
        ("$c", h.Conversation), ("$t", h.Tenant), ("$s", h.Subject), ("$bs", h.BaseSequence), ("$bh", h.BaseHash.ToArray()), ("$ns", h.NextSequence),
        ("$lh", h.LastHash.ToArray()), ("$cp", h.Checkpoint.ToArray()), ("$l", h.SealedLabel.ToArray()), ("$cr", h.CreatedAt.UtcTicks), ("$up", h.UpdatedAt.UtcTicks),
    ];

    private static StoredKey ReadKey(SqliteDataReader r) => new(
        new Guid((byte[])r[0], bigEndian: true), (TranscriptKeyKind)r.GetInt32(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), Time(r.GetInt64(4)),
        r.IsDBNull(5) ? null : Time(r.GetInt64(5)), r.IsDBNull(6) ? null : Time(r.GetInt64(6)), r.GetString(7), (byte[])r[8]);

    private static StoredSubjectKey ReadSubjectKey(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), new Guid((byte[])r[2], bigEndian: true), new Guid((byte[])r[3], bigEndian: true), Time(r.GetInt64(4)), (byte[])r[5]);

    private static ConversationHead ReadHead(SqliteDataReader r) => new(
        r.GetString(1), r.GetString(2), r.GetString(0), r.GetInt64(3), (byte[])r[4], r.GetInt64(5), (byte[])r[6], (byte[])r[7], (byte[])r[8], Time(r.GetInt64(9)), Time(r.GetInt64(10)));

    private static StoredRecord ReadRecord(SqliteDataReader r) => new(r.GetString(0), r.GetInt64(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), (byte[])r[4], (byte[])r[5]);

    private static AuditEntry ReadAudit(SqliteDataReader r) => new(
        r.GetInt64(0), Time(r.GetInt64(1)), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), (byte[])r[8], (byte[])r[9]);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
