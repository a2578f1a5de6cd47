using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Data.Sqlite;

namespace EmpathyKit.Tests.Transcripts;

public sealed class TamperAndErasureTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));

    public TamperAndErasureTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static TranscriptAddress At(string subject, string conversation) => new("t", subject, conversation);

    private static async Task<(VaultRig Rig, string Conversation)> SeededAsync(InMemoryTranscriptStore store, int records = 5)
    {
        var rig = new VaultRig(store);
        for (int i = 0; i < records; i++)
        {
            await rig.SayAsync(At("s", "c"), $"message {i}");
        }

        (_, _, string conversation) = await rig.Vault.PseudonymsAsync(At("s", "c"));
        return (rig, conversation);
    }

    private static async Task<IntegrityProblem> FirstProblemAsync(VaultRig rig)
    {
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync();
        Assert.False(report.IsValid);
        await Assert.ThrowsAsync<TranscriptIntegrityException>(() => rig.Vault.ReadConversationAsync(At("s", "c")).AsTask());
        return Assert.Single(report.Problems);
    }

    [Fact]
    public async Task Altering_a_record_breaks_the_next_link()
    {
        var store = new InMemoryTranscriptStore();
        (VaultRig rig, string c) = await SeededAsync(store);
        await using (rig)
        {
            store.Tamper(c, 2, r =>
            {
                byte[] payload = r.Payload.ToArray();
                payload[^1] ^= 1;
                return r with { Payload = payload };
            });
            IntegrityProblem problem = await FirstProblemAsync(rig);
            Assert.Equal(IntegrityProblemKind.BrokenLink, problem.Kind);
            Assert.Equal(3, problem.Sequence);
            IntegrityProblem deep = Assert.Single((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).Problems);
            Assert.Equal((IntegrityProblemKind.Undecryptable, 2L), (deep.Kind, deep.Sequence));
        }
    }

    [Fact]
    public async Task Swapping_two_records_is_reported_as_a_broken_chain()
    {
        var store = new InMemoryTranscriptStore();
        (VaultRig rig, string c) = await SeededAsync(store);
        await using (rig)
        {
            StoredRecord one = (await store.ReadRecordsAsync(c, 1, 1))[0];
            StoredRecord two = (await store.ReadRecordsAsync(c, 2, 1))[0];
            store.Tamper(c, 1, _ => two with { Sequence = 1 });
            store.Tamper(c, 2, _ => one with { Sequence = 2 });
            IntegrityProblem problem = await FirstProblemAsync(rig);
            Assert.Equal(IntegrityProblemKind.BrokenLink, problem.Kind);
            Assert.Equal(1, problem.Sequence);
        }
    }

    [Fact]
    public async Task Removing_the_last_records_is_reported_as_truncation()
    {
        var store = new InMemoryTranscriptStore();
        (VaultRig rig, string c) = await SeededAsync(store);
        await using (rig)
        {
            store.Tamper(c, 4, _ => null);
            store.Tamper(c, 3, _ => null);
            IntegrityProblem problem = await FirstProblemAsync(rig);
            Assert.Equal(IntegrityProblemKind.Truncated, problem.Kind);
            Assert.Equal(3, problem.Sequence);
        }
    }

    [Fact]
    public async Task Rolling_the_head_back_fails_the_keyed_checkpoint()
    {
        var store = new InMemoryTranscriptStore();
        (VaultRig rig, string c) = await SeededAsync(store);
        await using (rig)
        {
            store.TamperHead(c, h => h with { NextSequence = 3 });
            IntegrityProblem problem = await FirstProblemAsync(rig);
            Assert.Equal(IntegrityProblemKind.CheckpointInvalid, problem.Kind);
        }
    }

    [Fact]
    public async Task A_record_moved_to_another_conversation_or_given_a_new_expiry_does_not_open()
    {
        var store = new InMemoryTranscriptStore();
        (VaultRig rig, string c) = await SeededAsync(store, records: 1);
        await using (rig)
        {
            await rig.SayAsync(At("s", "other"), "other 0");
            (_, _, string other) = await rig.Vault.PseudonymsAsync(At("s", "other"));
            StoredRecord original = (await store.ReadRecordsAsync(c, 0, 1))[0];
            StoredRecord target = (await store.ReadRecordsAsync(other, 0, 1))[0];
            store.Tamper(other, 0, _ => original with { Conversation = other, PreviousHash = target.PreviousHash });
            Assert.Equal(IntegrityProblemKind.Undecryptable, Assert.Single((await rig.Vault.VerifyIntegrityAsync(At("s", "other"), decrypt: true)).Problems).Kind);
            await Assert.ThrowsAsync<TranscriptIntegrityException>(() => rig.Vault.ReadAsync(At("s", "other"), 10).AsTask());

            store.Tamper(c, 0, r => r with { ExpiresAt = r.ExpiresAt.AddYears(5) });
            Assert.False((await rig.Vault.VerifyIntegrityAsync(At("s", "c"))).IsValid);
            await Assert.ThrowsAsync<TranscriptIntegrityException>(() => rig.Vault.ReadAsync(At("s", "c"), 10).AsTask());
        }
    }

    [Fact]
    public async Task An_altered_audit_entry_fails_verification()
    {
        string db = Path.Combine(_dir, "audit.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        await rig.SayAsync(At("s", "c"), "hello");
        Assert.True((await rig.Vault.VerifyAuditLogAsync()).IsValid);

        // The audit table refuses updates and deletes outright; an attacker with file access drops the triggers first.
        using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE ek_audit SET detail = '{}' WHERE seq = 1";
            Assert.Throws<SqliteException>(() => update.ExecuteNonQuery());
            update.CommandText = "DROP TRIGGER ek_audit_no_update; UPDATE ek_audit SET detail = '{\"records\":9}' WHERE seq = 1";
            update.ExecuteNonQuery();
        }

        IntegrityReport report = await rig.Vault.VerifyAuditLogAsync();
        Assert.Equal(IntegrityProblemKind.CheckpointInvalid, Assert.Single(report.Problems).Kind);
        Assert.Equal(1, report.Problems[0].Sequence);
    }

    [Fact]
    public async Task A_damaged_index_that_the_chains_cannot_see_fails_verification_through_the_database_check()
    {
        string db = Path.Combine(_dir, "index.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 5; i++)
        {
            await rig.SayAsync(At("s", "c"), $"message {i}");
        }

        Assert.True((await rig.Vault.VerifyIntegrityAsync()).IsValid);
        Assert.Empty(await store.CheckStorageAsync());

        // The retention index (the one purging reads) is made to disagree with its table, as a damaged page would.
        using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            using SqliteCommand damage = connection.CreateCommand();
            damage.CommandText = "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_ek_records_expires ON ek_records (created)' WHERE name = 'ix_ek_records_expires'; PRAGMA writable_schema=OFF;";
            damage.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync();
        Assert.False(report.IsValid);
        Assert.All(report.Problems, p => Assert.Equal(IntegrityProblemKind.StorageDamaged, p.Kind));
        Assert.Contains(report.Problems, p => p.Description.Contains("ix_ek_records_expires", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Description.Contains("message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transactions_lost_with_the_WAL_are_reported_against_the_high_water_mark()
    {
        string db = Path.Combine(_dir, "wal.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 5; i++)
        {
            await rig.SayAsync(At("s", "c"), $"message {i}");
        }

        Assert.True(File.Exists(store.HighWaterMarkPath));
        Assert.Empty(await store.CheckStorageAsync());

        // As after a crash whose WAL was deleted: the main file alone (the recent transactions are still in the WAL,
        // which the live writer holds open), with the mark beside it.
        string lostDir = Path.Combine(_dir, "lost");
        Directory.CreateDirectory(lostDir);
        string lost = Path.Combine(lostDir, "wal.db");
        File.Copy(db, lost);
        File.Copy(store.HighWaterMarkPath, lost + ".hwm");
        using (var copy = new SqliteTranscriptStore(lost))
        {
            string finding = Assert.Single(await copy.CheckStorageAsync());
            Assert.Contains("transactions were lost", finding, StringComparison.Ordinal);
        }

        // The same copy with its WAL is whole.
        string wholeDir = Path.Combine(_dir, "whole");
        Directory.CreateDirectory(wholeDir);
        string whole = Path.Combine(wholeDir, "wal.db");
        File.Copy(db, whole);
        File.Copy(db + "-wal", whole + "-wal");
        File.Copy(store.HighWaterMarkPath, whole + ".hwm");
        using (var copy = new SqliteTranscriptStore(whole))
        {
            Assert.Empty(await copy.CheckStorageAsync());
        }

        // A deleted mark is itself reported (until the next write makes a new one).
        File.Delete(store.HighWaterMarkPath);
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync();
        Assert.Contains(report.Problems, p => p.Kind == IntegrityProblemKind.StorageDamaged && p.Description.Contains("no high-water mark", StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task After_erasure_the_sqlite_files_hold_neither_the_canary_nor_the_subject_key()
    {
        string db = Path.Combine(_dir, "erase.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        const string Canary = "CANARY-7f3a-plaintext-never-on-disk";
        for (int i = 0; i < 20; i++)
        {
            await rig.SayAsync(At("doomed", $"c{i % 3}"), $"{Canary} {i}");
            await rig.SayAsync(At("survivor", "keep"), $"other person {i}");
        }

        (string t, string s, _) = await rig.Vault.PseudonymsAsync(At("doomed", "c0"));
        StoredSubjectKey wrapped = (await store.GetSubjectKeyAsync(t, s))!;
        TranscriptVault.SubjectKey plain = (await rig.Vault.GetSubjectKeyAsync(t, s, create: false, default))!;
        byte[] firstRecord = (await store.ReadRecordsAsync((await rig.Vault.PseudonymsAsync(At("doomed", "c0"))).Conversation, 0, 1))[0].Payload.ToArray();
        byte[][] secrets = [Encoding.UTF8.GetBytes(Canary), wrapped.WrappedKey.ToArray(), plain.Key, firstRecord[^32..]];
        Assert.Contains(ReadAll(db), bytes => secrets[1..].Any(secret => IndexOf(bytes, secret) >= 0));

        await rig.Vault.EraseSubjectAsync("t", "doomed");
        SqliteConnection.ClearAllPools();
        foreach ((string file, byte[] bytes) in ReadAll(db).Select((b, i) => ($"{db} #{i}", b)))
        {
            foreach (byte[] secret in secrets)
            {
                Assert.True(IndexOf(bytes, secret) < 0, $"{file} still holds {secret.Length} secret bytes after erasure");
            }
        }

        Assert.Equal(20, (await rig.Vault.ReadAsync(At("survivor", "keep"), 100)).Count);
        string wal = db + "-wal";
        Assert.True(!File.Exists(wal) || new FileInfo(wal).Length == 0, "the WAL is truncated after erasure");
    }

    [Fact]
    public async Task Sqlite_files_hold_neither_plaintext_nor_raw_ids_and_are_owner_only()
    {
        string db = Path.Combine(_dir, "plain.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        await rig.SayAsync(new TranscriptAddress("tenant-canary", "subject-canary", "conversation-canary"), "canary sentence about my sister");
        SqliteConnection.ClearAllPools();
        foreach (byte[] bytes in ReadAll(db))
        {
            Assert.DoesNotContain("canary", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(db));
        }
    }

    [Fact]
    public async Task Sqlite_records_are_append_only()
    {
        string db = Path.Combine(_dir, "append.db");
        using var store = new SqliteTranscriptStore(db);
        await using var rig = new VaultRig(store);
        await rig.SayAsync(At("s", "c"), "x");
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        using SqliteCommand update = connection.CreateCommand();
        update.CommandText = "UPDATE ek_records SET expires = expires + 1";
        SqliteException error = Assert.Throws<SqliteException>(() => update.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escrow_opens_with_the_escrow_certificate_and_every_check_value_matches()
    {
        await using var rig = new VaultRig(new InMemoryTranscriptStore());
        await rig.SayAsync(At("s", "c"), "x");
        await rig.Vault.RotateKeysAsync();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        byte[] envelope = await rig.Vault.EscrowKeysAsync(escrow);
        using JsonDocument keys = JsonDocument.Parse(TranscriptCms.Decrypt(envelope, escrow));
        JsonElement list = keys.RootElement.GetProperty("keys");
        Assert.Equal(3, list.GetArrayLength());
        foreach (JsonElement key in list.EnumerateArray())
        {
            Assert.Equal(key.GetProperty("check").GetString(), TranscriptVault.KeyCheckValue(key.GetProperty("key").GetBytesFromBase64()));
        }

        byte[] tampered = (byte[])envelope.Clone();
        tampered[^20] ^= 0x40;
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => TranscriptCms.Decrypt(tampered, escrow));
        using X509Certificate2 stranger = TestCertificates.Rsa("stranger");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => TranscriptCms.Decrypt(envelope, stranger));
        Assert.Contains(await rig.Vault.ReadAuditLogAsync(0, 100), e => e.Kind == AuditKinds.KeyEscrowed);
    }

    [Fact]
    public async Task A_certificate_root_runs_the_whole_hierarchy()
    {
        using X509Certificate2 cert = TestCertificates.Rsa("root");
        var store = new InMemoryTranscriptStore();
        await using (var vault = new TranscriptVault(store, new CertificateTranscriptKeyProvider(cert), new TranscriptOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            await (await vault.AppendAsync(At("s", "c"), [VaultRig.User("via certificate", DateTimeOffset.UtcNow)])).Durable;
        }

        await using var reopened = new TranscriptVault(store, new CertificateTranscriptKeyProvider(cert), new TranscriptOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(["via certificate"], (await reopened.ReadAsync(At("s", "c"), 10)).Select(e => e.Text));
        Assert.All(await store.GetKeysAsync(), k => Assert.StartsWith("x509:", k.RootKeyId, StringComparison.Ordinal));
    }

    private static List<byte[]> ReadAll(string db) =>
        [.. new[] { db, db + "-wal", db + "-shm", db + "-journal" }.Where(File.Exists).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        })];

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
