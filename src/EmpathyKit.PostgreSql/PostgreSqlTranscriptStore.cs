using System.Text.RegularExpressions;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Transcripts.Storage;
using Npgsql;
using static EmpathyKit.PostgreSqlSql;

namespace EmpathyKit;

/// <summary>
/// A transcript store in PostgreSQL that many hosts can share. It holds sealed records only (ciphertext under
/// pseudonyms). Erasure and purge run through <c>SECURITY DEFINER</c> functions, so the application's role needs no
/// UPDATE or DELETE right on transcript rows or the audit log (see <see cref="CreateSchemaAsync"/>).
/// </summary>
/// <remarks>
/// Writes take a transaction-scoped advisory lock on the audit log (every write is audited), so writes from all hosts
/// are serialised like SQLite's single writer; reads are not. Conversation heads are locked with <c>FOR UPDATE</c> and
/// subject keys with <c>FOR SHARE</c>, so an erasure and an append on the same subject never interleave.
/// </remarks>
public sealed partial class PostgreSqlTranscriptStore : ITranscriptStore, ITranscriptStorageCheck, IEscalationStoreSource, IDisposable
{
    private const string HeadColumns = "conversation, tenant, subject, base_seq, base_hash, next_seq, last_hash, checkpoint, label, created, updated";
    private const string KeyColumns = "id, kind, created, activates, expires, revoked, destroyed, root_key_id, wrapped";
    private const string AuditColumns = "seq, at, kind, actor, tenant, subject, conversation, detail, prev_hash, hash";
    private readonly NpgsqlDataSource _source;
    private readonly string _s;
    private readonly Lazy<Task> _initialized;
    private PostgreSqlEscalationStore? _escalations;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlTranscriptStore"/> class.</summary>
    /// <param name="connectionString">The connection string (use TLS to any server that is not on loopback).</param>
    /// <param name="schema">The schema holding the tables (letters, digits and underscores; default <c>empathykit</c>).</param>
    /// <param name="createSchema">Create the schema on first use (the role needs CREATE on the database); pass <see langword="false"/> when a DBA ran <see cref="CreateSchemaAsync"/>.</param>
    public PostgreSqlTranscriptStore(string connectionString, string schema = "empathykit", bool createSchema = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _s = CheckIdentifier(schema, nameof(schema));
        _source = NpgsqlDataSource.Create(connectionString);
        Schema = schema;
        _initialized = new Lazy<Task>(() => createSchema ? CreateSchemaCoreAsync(_source, _s, null) : Task.CompletedTask, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets the schema name.</summary>
    public string Schema { get; }

    /// <summary>
    /// Creates the schema, tables and definer functions if missing and, when <paramref name="applicationRole"/> is
    /// given, grants that role exactly what the store needs: SELECT and INSERT on records, tombstones and the audit log,
    /// UPDATE only on conversation heads and key rows, and EXECUTE on the erase and purge functions.
    /// </summary>
    /// <param name="connectionString">A connection as the schema's owner.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="applicationRole">The role the application connects as, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema exists.</returns>
    public static async Task CreateSchemaAsync(string connectionString, string schema = "empathykit", string? applicationRole = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        using NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
        await CreateSchemaCoreAsync(source, CheckIdentifier(schema, nameof(schema)), applicationRole is null ? null : CheckIdentifier(applicationRole, nameof(applicationRole))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs PostgreSQL's own integrity checks over this store's schema when the <c>amcheck</c> extension is installed:
    /// <c>bt_index_check</c> (with every heap tuple looked up in the index) on each B-tree index, and
    /// <c>verify_heapam</c> on each table. Without the extension nothing is checked here (run <c>pg_amcheck</c>); with it
    /// but without EXECUTE on those functions for this role, the check throws and verify reports that it could not run.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The problems found: relation, block and offset, and amcheck's message (never row content).</returns>
    public ValueTask<IReadOnlyList<string>> CheckStorageAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(
            async (c, ct) =>
            {
                var problems = new List<string>();
                if (await ScalarAsync(c, null, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'amcheck'", ct).ConfigureAwait(false) == 0)
                {
                    return problems;
                }

                IReadOnlyList<(string Name, char Kind)> relations = await QueryAsync(
                    c,
                    null,
                    "SELECT r.relname, r.relkind FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace LEFT JOIN pg_am a ON a.oid = r.relam " +
                    "WHERE n.nspname = @schema AND (r.relkind = 'r' OR (r.relkind = 'i' AND a.amname = 'btree')) ORDER BY r.relkind DESC, r.relname",
                    r => (r.GetString(0), r.GetChar(1)),
                    ct,
                    ("schema", Schema)).ConfigureAwait(false);
                foreach ((string name, char kind) in relations)
                {
                    string relation = $"{_s}.{QuoteIdentifier(name)}";
                    if (kind == 'i')
                    {
                        try
                        {
                            await ExecuteAsync(c, null, $"SELECT bt_index_check('{relation}'::regclass, true)", ct).ConfigureAwait(false);
                        }
                        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.IndexCorrupted or PostgresErrorCodes.DataCorrupted)
                        {
                            problems.Add($"index {name}: {ex.MessageText}");
                        }

                        continue;
                    }

                    problems.AddRange(await QueryAsync(
                        c,
                        null,
                        $"SELECT blkno, offnum, msg FROM verify_heapam('{relation}'::regclass)",
                        r => $"table {name} block {r.GetInt64(0)}{(r.IsDBNull(1) ? string.Empty : $" offset {r.GetInt32(1)}")}: {r.GetString(2)}",
                        ct).ConfigureAwait(false));
                }

                return problems;
            },
            cancellationToken);

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT {KeyColumns} FROM {_s}.ek_keys ORDER BY created, id", ReadKey, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryAddKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            async (c, t, ct) =>
            {
                long exists = await ScalarAsync(c, t, $"SELECT COUNT(*) FROM {_s}.ek_keys WHERE id = @id OR (@kind = 2 AND kind = 2)", ct, ("id", key.Id), ("kind", (int)key.Kind)).ConfigureAwait(false);
                if (exists > 0)
                {
                    return false;
                }

                await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_keys ({KeyColumns}) VALUES (@id, @kind, @created, @activates, @expires, @revoked, @destroyed, @root, @wrapped)", ct, KeyParameters(key)).ConfigureAwait(false);
                await AppendAuditAsync(c, t, audit, sealer, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask UpdateKeyAsync(StoredKey key, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await WriteAsync(
            async (c, t, ct) =>
            {
                if (await ExecuteAsync(c, t, $"UPDATE {_s}.ek_keys SET kind = @kind, created = @created, activates = @activates, expires = @expires, revoked = @revoked, destroyed = @destroyed, root_key_id = @root, wrapped = @wrapped WHERE id = @id", ct, KeyParameters(key)).ConfigureAwait(false) != 1)
                {
                    throw new InvalidOperationException("No such key.");
                }

                await AppendAuditAsync(c, t, audit, sealer, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSubjectKey?> GetSubjectKeyAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        (await ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM {_s}.ek_subject_keys WHERE tenant = @t AND subject = @s", ReadSubjectKey, ct, ("t", tenant), ("s", subject)), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public ValueTask<StoredSubjectKey> GetOrAddSubjectKeyAsync(StoredSubjectKey candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return ReadAsync(
            async (c, ct) =>
            {
                await ExecuteAsync(c, null, $"INSERT INTO {_s}.ek_subject_keys (tenant, subject, key_id, master_key_id, created, wrapped) VALUES (@t, @s, @k, @m, @c, @w) ON CONFLICT (tenant, subject) DO NOTHING", ct,
                    ("t", candidate.Tenant), ("s", candidate.Subject), ("k", candidate.KeyId), ("m", candidate.MasterKeyId), ("c", candidate.CreatedAt.UtcTicks), ("w", candidate.WrappedKey.ToArray())).ConfigureAwait(false);
                return (await QueryAsync(c, null, $"SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM {_s}.ek_subject_keys WHERE tenant = @t AND subject = @s", ReadSubjectKey, ct, ("t", candidate.Tenant), ("s", candidate.Subject)).ConfigureAwait(false))[0];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSubjectKey>> GetSubjectKeysWrappedByAsync(Guid masterKeyId, int maxKeys, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT tenant, subject, key_id, master_key_id, created, wrapped FROM {_s}.ek_subject_keys WHERE master_key_id = @m LIMIT @n", ReadSubjectKey, ct, ("m", masterKeyId), ("n", maxKeys)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> TryReplaceSubjectKeyAsync(StoredSubjectKey rewrapped, Guid expectedMasterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrapped);
        return ReadAsync(
            async (c, ct) => await ExecuteAsync(c, null, $"UPDATE {_s}.ek_subject_keys SET master_key_id = @m, wrapped = @w WHERE tenant = @t AND subject = @s AND key_id = @k AND master_key_id = @old", ct,
                ("m", rewrapped.MasterKeyId), ("w", rewrapped.WrappedKey.ToArray()), ("t", rewrapped.Tenant), ("s", rewrapped.Subject), ("k", rewrapped.KeyId), ("old", expectedMasterKeyId)).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ConversationHead?> GetConversationAsync(string conversation, CancellationToken cancellationToken = default) =>
        (await ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT {HeadColumns} FROM {_s}.ek_conversations WHERE conversation = @c", ReadHead, ct, ("c", conversation)), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT {HeadColumns} FROM {_s}.ek_conversations WHERE tenant = @t AND subject = @s ORDER BY created, conversation COLLATE \"C\"", ReadHead, ct, ("t", tenant), ("s", subject)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListConversationsAsync(string? after, int maxConversations, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT conversation FROM {_s}.ek_conversations WHERE conversation COLLATE \"C\" > @after ORDER BY conversation COLLATE \"C\" LIMIT @n", r => r.GetString(0), ct, ("after", after ?? string.Empty), ("n", maxConversations)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT conversation, seq, created, expires, prev_hash, payload FROM {_s}.ek_records WHERE conversation = @c AND seq >= @from ORDER BY seq LIMIT @n", ReadRecord, ct, ("c", conversation), ("from", fromSequence), ("n", maxRecords)), cancellationToken);

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(sealer);
        await WriteAsync(
            async (c, t, ct) =>
            {
                foreach (TranscriptAppendBatch batch in batches)
                {
                    IReadOnlyList<Guid> keyIds = await QueryAsync(c, t, $"SELECT key_id FROM {_s}.ek_subject_keys WHERE tenant = @t AND subject = @s FOR SHARE", r => r.GetGuid(0), ct, ("t", batch.Tenant), ("s", batch.Subject)).ConfigureAwait(false);
                    if (keyIds.Count == 0 || keyIds[0] != batch.SubjectKeyId)
                    {
                        throw new TranscriptAccessException("The subject's data key is gone or was replaced: an erasure came first.");
                    }

                    ConversationHead? head = (await QueryAsync(c, t, $"SELECT {HeadColumns} FROM {_s}.ek_conversations WHERE conversation = @c FOR UPDATE", ReadHead, ct, ("c", batch.Conversation)).ConfigureAwait(false)).FirstOrDefault();
                    SealedAppend sealedAppend = batch.Seal(head);
                    using (var insert = new NpgsqlBatch(c, t))
                    {
                        foreach (StoredRecord record in sealedAppend.Records)
                        {
                            var command = new NpgsqlBatchCommand($"INSERT INTO {_s}.ek_records (conversation, seq, created, expires, prev_hash, payload) VALUES (@c, @seq, @created, @expires, @prev, @payload)");
                            command.Parameters.AddWithValue("c", record.Conversation);
                            command.Parameters.AddWithValue("seq", record.Sequence);
                            command.Parameters.AddWithValue("created", record.CreatedAt.UtcTicks);
                            command.Parameters.AddWithValue("expires", record.ExpiresAt.UtcTicks);
                            command.Parameters.AddWithValue("prev", record.PreviousHash.ToArray());
                            command.Parameters.AddWithValue("payload", record.Payload.ToArray());
                            insert.BatchCommands.Add(command);
                        }

                        if (insert.BatchCommands.Count > 0)
                        {
                            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        }
                    }

                    await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_conversations ({HeadColumns}) VALUES (@c, @t, @s, @bs, @bh, @ns, @lh, @cp, @l, @cr, @up) "
                        + "ON CONFLICT (conversation) DO UPDATE SET base_seq = excluded.base_seq, base_hash = excluded.base_hash, next_seq = excluded.next_seq, last_hash = excluded.last_hash, checkpoint = excluded.checkpoint, updated = excluded.updated",
                        ct, HeadParameters(sealedAppend.Head)).ConfigureAwait(false);
                    await AppendAuditAsync(c, t, batch.Audit, sealer, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ErasureCounts> EraseSubjectAsync(Tombstone tombstone, Func<ErasureCounts, AuditDraft> audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        ArgumentNullException.ThrowIfNull(audit);
        return WriteAsync(
            async (c, t, ct) =>
            {
                ErasureCounts counts = (await QueryAsync(c, t, $"SELECT conversations, records, key_destroyed FROM {_s}.ek_erase_subject(@t, @s)", r => new ErasureCounts(r.GetInt32(0), r.GetInt64(1), r.GetBoolean(2)), ct, ("t", tombstone.Tenant), ("s", tombstone.Subject)).ConfigureAwait(false))[0];
                await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_tombstones (erasure_id, tenant, subject, erased) VALUES (@id, @t, @s, @at)", ct, ("id", tombstone.ErasureId), ("t", tombstone.Tenant), ("s", tombstone.Subject), ("at", tombstone.ErasedAt.UtcTicks)).ConfigureAwait(false);
                await AppendAuditAsync(c, t, audit(counts), sealer, ct).ConfigureAwait(false);
                return counts;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Tombstone>> GetTombstonesAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT tenant, subject, erasure_id, erased FROM {_s}.ek_tombstones WHERE tenant = @t AND subject = @s ORDER BY erased", r => new Tombstone(r.GetString(0), r.GetString(1), r.GetGuid(2), Time(r.GetInt64(3))), ct, ("t", tenant), ("s", subject)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExpiredRange>> FindExpiredAsync(DateTimeOffset now, int maxConversations, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT conversation, MAX(seq) FROM {_s}.ek_records WHERE expires <= @now GROUP BY conversation ORDER BY conversation COLLATE \"C\" LIMIT @n", r => new ExpiredRange(r.GetString(0), r.GetInt64(1)), ct, ("now", now.UtcTicks), ("n", maxConversations)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> PurgeAsync(string conversation, long throughSequence, Func<ConversationHead, long, ReadOnlyMemory<byte>, ConversationHead> rebase, AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rebase);
        return WriteAsync(
            async (c, t, ct) =>
            {
                ConversationHead? head = (await QueryAsync(c, t, $"SELECT {HeadColumns} FROM {_s}.ek_conversations WHERE conversation = @c FOR UPDATE", ReadHead, ct, ("c", conversation)).ConfigureAwait(false)).FirstOrDefault();
                if (head is null)
                {
                    return 0L;
                }

                long through = Math.Min(throughSequence, head.NextSequence - 1);
                byte[] baseHash = (await QueryAsync(c, t, $"SELECT prev_hash FROM {_s}.ek_records WHERE conversation = @c AND seq = @next", r => (byte[])r[0], ct, ("c", conversation), ("next", through + 1)).ConfigureAwait(false)).FirstOrDefault() ?? head.LastHash.ToArray();
                ConversationHead rebased = rebase(head, through + 1, baseHash);
                long deleted = await ScalarAsync(c, t, $"SELECT {_s}.ek_purge(@c, @through, @bs, @bh, @cp)", ct, ("c", conversation), ("through", through), ("bs", rebased.BaseSequence), ("bh", rebased.BaseHash.ToArray()), ("cp", rebased.Checkpoint.ToArray())).ConfigureAwait(false);
                await AppendAuditAsync(c, t, audit, sealer, ct).ConfigureAwait(false);
                return deleted;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<AuditEntry> AppendAuditAsync(AuditDraft audit, IAuditSealer sealer, CancellationToken cancellationToken = default) =>
        WriteAsync((c, t, ct) => AppendAuditAsync(c, t, audit, sealer, ct), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(long fromSequence, int maxEntries, CancellationToken cancellationToken = default) =>
        ReadAsync((c, ct) => QueryAsync(c, null, $"SELECT {AuditColumns} FROM {_s}.ek_audit WHERE seq >= @from ORDER BY seq LIMIT @n", ReadAudit, ct, ("from", fromSequence), ("n", maxEntries)), cancellationToken);

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _source.Dispose();

    /// <inheritdoc />
    /// <remarks>The outbox's tables are in this store's schema and use its connections (<see cref="PostgreSqlEscalationStore"/>).</remarks>
    public IEscalationStore GetEscalationStore() => LazyInitializer.EnsureInitialized(ref _escalations, () => new PostgreSqlEscalationStore(_source, _s, _initialized));

    private static string CheckIdentifier(string value, string name) =>
        !string.IsNullOrEmpty(value) && value.Length <= 63 && IdentifierRegex().IsMatch(value) ? value : throw new ArgumentException("Use letters, digits and underscores only (at most 63), starting with a letter.", name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant, 250)]
    private static partial Regex IdentifierRegex();

    private static async Task CreateSchemaCoreAsync(NpgsqlDataSource source, string s, string? role)
    {
        using NpgsqlConnection c = await source.OpenConnectionAsync().ConfigureAwait(false);
        using NpgsqlTransaction t = await c.BeginTransactionAsync().ConfigureAwait(false);
        await ExecuteAsync(c, t, "SELECT pg_advisory_xact_lock(hashtext('empathykit.schema'))", CancellationToken.None).ConfigureAwait(false);
        await ExecuteAsync(c, t, $"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.ek_keys (
                id uuid PRIMARY KEY, kind integer NOT NULL, created bigint NOT NULL, activates bigint NOT NULL, expires bigint NOT NULL,
                revoked bigint, destroyed bigint, root_key_id text NOT NULL, wrapped bytea NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_ek_keys_index ON {s}.ek_keys (kind) WHERE kind = 2;
            CREATE TABLE IF NOT EXISTS {s}.ek_subject_keys (
                tenant text NOT NULL, subject text NOT NULL, key_id uuid NOT NULL, master_key_id uuid NOT NULL,
                created bigint NOT NULL, wrapped bytea NOT NULL, PRIMARY KEY (tenant, subject));
            CREATE INDEX IF NOT EXISTS ix_ek_subject_keys_master ON {s}.ek_subject_keys (master_key_id);
            CREATE TABLE IF NOT EXISTS {s}.ek_conversations (
                conversation text PRIMARY KEY, tenant text NOT NULL, subject text NOT NULL, base_seq bigint NOT NULL,
                base_hash bytea NOT NULL, next_seq bigint NOT NULL, last_hash bytea NOT NULL, checkpoint bytea NOT NULL,
                label bytea NOT NULL, created bigint NOT NULL, updated bigint NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_ek_conversations_subject ON {s}.ek_conversations (tenant, subject);
            CREATE TABLE IF NOT EXISTS {s}.ek_records (
                conversation text NOT NULL, seq bigint NOT NULL, created bigint NOT NULL, expires bigint NOT NULL,
                prev_hash bytea NOT NULL, payload bytea NOT NULL, PRIMARY KEY (conversation, seq));
            CREATE INDEX IF NOT EXISTS ix_ek_records_expires ON {s}.ek_records (expires);
            CREATE TABLE IF NOT EXISTS {s}.ek_tombstones (
                erasure_id uuid PRIMARY KEY, tenant text NOT NULL, subject text NOT NULL, erased bigint NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_ek_tombstones_subject ON {s}.ek_tombstones (tenant, subject);
            CREATE TABLE IF NOT EXISTS {s}.ek_audit (
                seq bigint PRIMARY KEY, at bigint NOT NULL, kind text NOT NULL, actor text, tenant text, subject text,
                conversation text, detail text NOT NULL, prev_hash bytea NOT NULL, hash bytea NOT NULL);
            CREATE TABLE IF NOT EXISTS {s}.ek_escalations (
                id text PRIMARY KEY, conversation text NOT NULL, occurred bigint NOT NULL, level integer NOT NULL, rung integer NOT NULL,
                categories text NOT NULL, signals text NOT NULL, constructs text NOT NULL,
                acknowledged bigint, acknowledged_by text, resolved bigint, resolved_by text, outcome text,
                re_raises integer NOT NULL DEFAULT 0, re_raised bigint, erase_requested bigint);
            ALTER TABLE {s}.ek_escalations ADD COLUMN IF NOT EXISTS re_raises integer NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS re_raised bigint, ADD COLUMN IF NOT EXISTS erase_requested bigint;
            CREATE INDEX IF NOT EXISTS ix_ek_escalations_occurred ON {s}.ek_escalations (occurred, id);
            CREATE INDEX IF NOT EXISTS ix_ek_escalations_conversation ON {s}.ek_escalations (conversation);
            {EscalationRows.ReRaiseIndex("ix_ek_escalations_unacknowledged", s + ".ek_escalations")}
            CREATE TABLE IF NOT EXISTS {s}.ek_escalation_deliveries (
                escalation text NOT NULL REFERENCES {s}.ek_escalations (id), ordinal integer NOT NULL, channel text NOT NULL, state integer NOT NULL,
                attempts integer NOT NULL, next_attempt bigint NOT NULL, delivered bigint, last_error text, lease_id uuid, lease_until bigint,
                PRIMARY KEY (escalation, channel));
            CREATE INDEX IF NOT EXISTS ix_ek_escalation_deliveries_due ON {s}.ek_escalation_deliveries (state, next_attempt);
            CREATE TABLE IF NOT EXISTS {s}.ek_conversation_control (
                conversation text PRIMARY KEY, tenant text NOT NULL, control integer NOT NULL, changed bigint NOT NULL,
                assigned_to text, operator_name text, requested bigint, outcome text, version bigint NOT NULL);
            CREATE OR REPLACE FUNCTION {s}.ek_erase_subject(p_tenant text, p_subject text, OUT conversations integer, OUT records bigint, OUT key_destroyed boolean)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {s}, pg_temp AS $fn$
            BEGIN
                SELECT count(*) INTO records FROM ek_records WHERE conversation IN (SELECT conversation FROM ek_conversations WHERE tenant = p_tenant AND subject = p_subject);
                DELETE FROM ek_records WHERE conversation IN (SELECT conversation FROM ek_conversations WHERE tenant = p_tenant AND subject = p_subject);
                DELETE FROM ek_conversations WHERE tenant = p_tenant AND subject = p_subject;
                GET DIAGNOSTICS conversations = ROW_COUNT;
                DELETE FROM ek_subject_keys WHERE tenant = p_tenant AND subject = p_subject;
                key_destroyed := FOUND;
            END $fn$;
            CREATE OR REPLACE FUNCTION {s}.ek_purge(p_conversation text, p_through bigint, p_base_seq bigint, p_base_hash bytea, p_checkpoint bytea)
            RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = {s}, pg_temp AS $fn$
            DECLARE deleted bigint;
            BEGIN
                DELETE FROM ek_records WHERE conversation = p_conversation AND seq <= p_through;
                GET DIAGNOSTICS deleted = ROW_COUNT;
                UPDATE ek_conversations SET base_seq = p_base_seq, base_hash = p_base_hash, checkpoint = p_checkpoint WHERE conversation = p_conversation;
                RETURN deleted;
            END $fn$;
            REVOKE ALL ON FUNCTION {s}.ek_erase_subject(text, text) FROM PUBLIC;
            REVOKE ALL ON FUNCTION {s}.ek_purge(text, bigint, bigint, bytea, bytea) FROM PUBLIC;
            """, CancellationToken.None).ConfigureAwait(false);
        if (role is not null)
        {
            await ExecuteAsync(c, t, $"""
                GRANT USAGE ON SCHEMA {s} TO {role};
                GRANT SELECT, INSERT ON {s}.ek_records, {s}.ek_audit, {s}.ek_tombstones TO {role};
                GRANT SELECT, INSERT, UPDATE ON {s}.ek_conversations, {s}.ek_keys TO {role};
                GRANT SELECT, INSERT ON {s}.ek_subject_keys TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON {s}.ek_escalations, {s}.ek_escalation_deliveries, {s}.ek_conversation_control TO {role};
                GRANT UPDATE (master_key_id, wrapped) ON {s}.ek_subject_keys TO {role};
                GRANT EXECUTE ON FUNCTION {s}.ek_erase_subject(text, text), {s}.ek_purge(text, bigint, bigint, bytea, bytea) TO {role};
                """, CancellationToken.None).ConfigureAwait(false);
        }

        await t.CommitAsync().ConfigureAwait(false);
    }

    private ValueTask<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        PostgreSqlSql.ReadAsync(_source, _initialized, read, cancellationToken);

    // Every transcript write is audited: one advisory lock on the audit log serialises writes from all hosts.
    private ValueTask<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        PostgreSqlSql.WriteAsync(_source, _initialized, $"{_s}.ek_audit", work, cancellationToken);

    private async Task<AuditEntry> AppendAuditAsync(NpgsqlConnection c, NpgsqlTransaction t, AuditDraft audit, IAuditSealer sealer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(sealer);
        AuditEntry? last = (await QueryAsync(c, t, $"SELECT {AuditColumns} FROM {_s}.ek_audit ORDER BY seq DESC LIMIT 1", ReadAudit, ct).ConfigureAwait(false)).FirstOrDefault();
        AuditEntry entry = sealer.Seal(last, audit);
        await ExecuteAsync(c, t, $"INSERT INTO {_s}.ek_audit ({AuditColumns}) VALUES (@seq, @at, @kind, @actor, @t, @s, @c, @d, @prev, @hash)", ct,
            ("seq", entry.Sequence), ("at", entry.At.UtcTicks), ("kind", entry.Kind), ("actor", entry.Actor), ("t", entry.Tenant), ("s", entry.Subject),
            ("c", entry.Conversation), ("d", entry.Detail), ("prev", entry.PreviousHash.ToArray()), ("hash", entry.Hash.ToArray())).ConfigureAwait(false);
        return entry;
    }

    private static (string, object?)[] KeyParameters(StoredKey key) =>
    [
        ("id", key.Id), ("kind", (int)key.Kind), ("created", key.CreatedAt.UtcTicks), ("activates", key.ActivatesAt.UtcTicks), ("expires", key.ExpiresAt.UtcTicks),
        ("revoked", key.RevokedAt?.UtcTicks), ("destroyed", key.DestroyedAt?.UtcTicks), ("root", key.RootKeyId), ("wrapped", key.WrappedKey.ToArray()),
    ];

    private static (string, object?)[] HeadParameters(ConversationHead h) =>
    [
        ("c", h.Conversation), ("t", h.Tenant), ("s", h.Subject), ("bs", h.BaseSequence), ("bh", h.BaseHash.ToArray()), ("ns", h.NextSequence),
        ("lh", h.LastHash.ToArray()), ("cp", h.Checkpoint.ToArray()), ("l", h.SealedLabel.ToArray()), ("cr", h.CreatedAt.UtcTicks), ("up", h.UpdatedAt.UtcTicks),
    ];

    private static StoredKey ReadKey(NpgsqlDataReader r) => new(
        r.GetGuid(0), (TranscriptKeyKind)r.GetInt32(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), Time(r.GetInt64(4)),
        r.IsDBNull(5) ? null : Time(r.GetInt64(5)), r.IsDBNull(6) ? null : Time(r.GetInt64(6)), r.GetString(7), (byte[])r[8]);

    private static StoredSubjectKey ReadSubjectKey(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetGuid(2), r.GetGuid(3), Time(r.GetInt64(4)), (byte[])r[5]);

    private static ConversationHead ReadHead(NpgsqlDataReader r) => new(
        r.GetString(1), r.GetString(2), r.GetString(0), r.GetInt64(3), (byte[])r[4], r.GetInt64(5), (byte[])r[6], (byte[])r[7], (byte[])r[8], Time(r.GetInt64(9)), Time(r.GetInt64(10)));

    private static StoredRecord ReadRecord(NpgsqlDataReader r) => new(r.GetString(0), r.GetInt64(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)), (byte[])r[4], (byte[])r[5]);

    private static AuditEntry ReadAudit(NpgsqlDataReader r) => new(
        r.GetInt64(0), Time(r.GetInt64(1)), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), (byte[])r[8], (byte[])r[9]);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
