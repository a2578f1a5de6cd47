using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EmpathyKit.Cli;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Tests.Transcripts;
using EmpathyKit.Transcripts;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EmpathyKit.Tests.Cli;

/// <summary>
/// <c>empathykit transcripts ...</c> and <c>empathykit keys ...</c> run in process against a SQLite file (and PostgreSQL
/// when present), as an operator would run them: exit codes, output, files written, and what lands in the audit log.
/// </summary>
public sealed class TranscriptCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public TranscriptCommandTests()
    {
        Directory.CreateDirectory(_dir);
        Db = Path.Combine(_dir, "transcripts.db");
        KeyFile = Path.Combine(_dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(KeyFile);
    }

    private string Db { get; }

    private string KeyFile { get; }

    private static TranscriptAddress At(string subject, string conversation) => new(TranscriptAddress.DefaultTenant, subject, conversation);

    [Fact]
    public async Task Keys_create_makes_an_owner_only_key_file_the_store_opens_with_and_never_overwrites_one()
    {
        string path = Path.Combine(_dir, "new", "root.key");

        (int code, string output, _) = await RunRawAsync(["keys", "create", "--key-file", path]);

        Assert.Equal(0, code);
        Assert.Contains(path, output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        byte[] before = await File.ReadAllBytesAsync(path);
        (int again, _, string error) = await RunRawAsync(["keys", "create", "--key-file", path]);
        Assert.Equal(2, again);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));

        (int missing, _, string missingError) = await RunRawAsync(["keys", "create"]);
        Assert.Equal(2, missing);
        Assert.Contains("--key-file", missingError, StringComparison.Ordinal);

        // The key provider reads it and wraps with it.
        using var provider = new KeyFileTranscriptKeyProvider(path);
        WrappedKey wrapped = await provider.WrapKeyAsync(new byte[32], "context"u8.ToArray());
        Assert.NotEmpty(wrapped.Ciphertext.ToArray());
    }

    [Fact]
    public async Task The_usage_line_names_the_tool()
    {
        (int code, string output, _) = await RunRawAsync(["--help"]);

        Assert.Equal(0, code);
        Assert.Contains("empathykit [command] [options]", output, StringComparison.Ordinal);
        Assert.Contains("keys", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_lists_reads_verifies_exports_and_audits_a_subject()
    {
        await SeedAsync();

        (int code, string output, _) = await RunAsync("transcripts", "list", "-s", "alice");
        Assert.Equal(0, code);
        Assert.Contains("morning-chat", output, StringComparison.Ordinal);
        Assert.Contains("(2 conversations)", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat", "--actor", "ops:bob");
        Assert.Equal(0, code);
        Assert.Contains("user [risk high: self_harm]: I have the pills in front of me", output, StringComparison.Ordinal);
        Assert.Contains("assistant: Thank you for telling me.", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat", "--json");
        Assert.Equal(0, code);
        using (JsonDocument json = JsonDocument.Parse(output))
        {
            Assert.Equal("high", json.RootElement[0].GetProperty("risk").GetString());
        }

        (code, output, _) = await RunAsync("transcripts", "verify", "--decrypt");
        Assert.Equal(0, code);
        Assert.Contains("Transcripts: 3 conversations, 4 records: intact.", output, StringComparison.Ordinal);
        Assert.Contains(": intact.", output.Split('\n')[1], StringComparison.Ordinal);

        string export = Path.Combine(_dir, "alice.json");
        (code, _, _) = await RunAsync("transcripts", "export", "-s", "alice", "-o", export);
        Assert.Equal(0, code);
        Assert.Contains("I have the pills in front of me", await File.ReadAllTextAsync(export), StringComparison.Ordinal);
        Assert.DoesNotContain("carol's words", await File.ReadAllTextAsync(export), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(export));
        }

        (code, _, string error) = await RunAsync("transcripts", "export", "-s", "alice", "-o", export);
        Assert.Equal(2, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);

        using X509Certificate2 recipient = TestCertificates.Rsa("dpo");
        string cer = Path.Combine(_dir, "dpo.cer");
        await File.WriteAllBytesAsync(cer, recipient.Export(X509ContentType.Cert));
        string sealedExport = Path.Combine(_dir, "alice.cms");
        (code, _, _) = await RunAsync("transcripts", "export", "-s", "alice", "-o", sealedExport, "--to-cert", cer);
        Assert.Equal(0, code);
        byte[] envelope = await File.ReadAllBytesAsync(sealedExport);
        Assert.DoesNotContain("pills", Encoding.Latin1.GetString(envelope), StringComparison.Ordinal);
        Assert.Contains("I have the pills in front of me", Encoding.UTF8.GetString(TranscriptCms.Decrypt(envelope, recipient)), StringComparison.Ordinal);

        (code, output, _) = await RunAsync("transcripts", "audit", "--json", "--max", "1000");
        Assert.Equal(0, code);
        using (JsonDocument audit = JsonDocument.Parse(output))
        {
            JsonElement[] entries = [.. audit.RootElement.EnumerateArray()];
            Assert.Contains(entries, e => e.GetProperty("kind").GetString() == AuditKinds.Read && e.GetProperty("actor").GetString() == "ops:bob");
            Assert.Equal(2, entries.Count(e => e.GetProperty("kind").GetString() == AuditKinds.Export));
            Assert.DoesNotContain("pills", output, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Erase_needs_confirmation_then_prints_a_certificate_and_nothing_of_the_subject_reads()
    {
        await SeedAsync();

        (int code, _, string error) = await RunAsync("transcripts", "erase", "-s", "alice");
        Assert.Equal(2, code);
        Assert.Contains("--yes", error, StringComparison.Ordinal);

        (code, string output, _) = await RunAsync("transcripts", "erase", "-s", "alice", "--yes");
        Assert.Equal(0, code);
        using (JsonDocument certificate = JsonDocument.Parse(output))
        {
            Assert.Equal(2, certificate.RootElement.GetProperty("Conversations").GetInt32());
            Assert.True(certificate.RootElement.GetProperty("KeyDestroyed").GetBoolean());
        }

        (code, output, error) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat");
        Assert.DoesNotContain("pills", output, StringComparison.Ordinal);
        // An erased conversation, like an unknown one, is "not found" (exit 4), never an empty success.
        Assert.Equal(4, code);
        Assert.Contains("no records", error, StringComparison.Ordinal);
        (code, _, _) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "never-existed");
        Assert.Equal(4, code);
        (code, output, _) = await RunAsync("transcripts", "read", "-s", "carol", "-c", "carol-chat");
        Assert.Equal(0, code);
        Assert.Contains("carol's words", output, StringComparison.Ordinal);
        (code, _, _) = await RunAsync("transcripts", "verify");
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Keys_rotate_revoke_escrow_and_recover_after_the_root_key_file_is_lost()
    {
        await SeedAsync();
        (int code, string output, _) = await RunAsync("keys", "list");
        Assert.Equal(0, code);
        string firstKey = output.Split('\n')[1].Split(' ')[0];
        Assert.Contains("Active", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("keys", "rotate");
        Assert.Equal(0, code);
        Assert.Contains("2 subject keys re-wrapped", output, StringComparison.Ordinal);

        (code, _, string error) = await RunAsync("keys", "revoke", firstKey);
        Assert.Equal(2, code);
        Assert.Contains("--yes", error, StringComparison.Ordinal);
        (code, _, _) = await RunAsync("keys", "revoke", firstKey, "--yes");
        Assert.Equal(0, code);
        (_, output, _) = await RunAsync("keys", "list");
        Assert.Contains(firstKey + "  Revoked", output, StringComparison.Ordinal);

        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        string cer = Path.Combine(_dir, "escrow.cer");
        string pfx = Path.Combine(_dir, "escrow.pfx");
        await File.WriteAllBytesAsync(cer, escrow.Export(X509ContentType.Cert));
        await File.WriteAllBytesAsync(pfx, escrow.Export(X509ContentType.Pkcs12, "escrow-password"));
        string envelope = Path.Combine(_dir, "keys.escrow");
        (code, _, _) = await RunAsync("keys", "escrow", "--to-cert", cer, "-o", envelope);
        Assert.Equal(0, code);

        // The root key file is lost; a new one replaces it.
        File.Delete(KeyFile);
        KeyFileTranscriptKeyProvider.CreateKeyFile(KeyFile);
        (code, _, error) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat");
        Assert.Equal(3, code);
        Assert.Contains("keys recover", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("EMPATHYKIT_TEST_ESCROW_PASSWORD", "escrow-password");
        (code, output, error) = await RunAsync("keys", "recover", "--envelope", envelope, "--escrow-cert", pfx, "--escrow-cert-password-env", "EMPATHYKIT_TEST_ESCROW_PASSWORD");
        Assert.True(code == 0, error);
        Assert.Contains("Recovered 2 keys", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat");
        Assert.Equal(0, code);
        Assert.Contains("I have the pills in front of me", output, StringComparison.Ordinal);
        (code, _, _) = await RunAsync("transcripts", "verify", "--decrypt");
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task A_damaged_escrow_envelope_is_refused_with_exit_code_3_and_the_store_is_untouched()
    {
        await SeedAsync();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        string cer = Path.Combine(_dir, "escrow.cer");
        string pfx = Path.Combine(_dir, "escrow.pfx");
        await File.WriteAllBytesAsync(cer, escrow.Export(X509ContentType.Cert));
        await File.WriteAllBytesAsync(pfx, escrow.Export(X509ContentType.Pkcs12, (string?)null));
        string envelope = Path.Combine(_dir, "keys.escrow");
        Assert.Equal(0, (await RunAsync("keys", "escrow", "--to-cert", cer, "-o", envelope)).Code);
        byte[] damaged = await File.ReadAllBytesAsync(envelope);
        damaged[^20] ^= 0x40;
        await File.WriteAllBytesAsync(envelope, damaged);
        (_, string keysBefore, _) = await RunAsync("keys", "list");

        (int code, string output, string error) = await RunAsync("keys", "recover", "--envelope", envelope, "--escrow-cert", pfx);

        Assert.Equal(3, code);
        Assert.Empty(output);
        Assert.StartsWith("empathykit keys recover: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("recover with", error, StringComparison.Ordinal);
        Assert.Equal(keysBefore, (await RunAsync("keys", "list")).Output);
    }

    [Fact]
    public async Task Verify_exits_1_and_names_the_broken_conversation_after_tampering()
    {
        await SeedAsync();
        using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER ek_records_append_only; UPDATE ek_records SET payload = zeroblob(length(payload)) WHERE seq = 1 AND id = (SELECT max(id) FROM ek_records WHERE seq = 1);";
            command.ExecuteNonQuery();
        }

        (int code, string output, _) = await RunAsync("transcripts", "verify");

        Assert.Equal(1, code);
        Assert.Contains("1 problems", output, StringComparison.Ordinal);
        Assert.Contains("BrokenLink", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-db")]
    [InlineData("missing-key")]
    [InlineData("two-stores")]
    [InlineData("unset-variable")]
    [InlineData("bad-id")]
    [InlineData("half-address")]
    [InlineData("bad-range")]
    public async Task Mistakes_get_one_clear_line_and_exit_code_2(string mistake)
    {
        await SeedAsync();
        string[] args = mistake switch
        {
            "missing-db" => ["transcripts", "list", "-s", "alice", "--db", Path.Combine(_dir, "nope.db"), "--key-file", KeyFile],
            "missing-key" => ["transcripts", "list", "-s", "alice", "--db", Db, "--key-file", Path.Combine(_dir, "nope.key")],
            "two-stores" => ["transcripts", "list", "-s", "alice", "--db", Db, "--postgres-env", "X", "--key-file", KeyFile],
            "unset-variable" => ["transcripts", "list", "-s", "alice", "--postgres-env", "EMPATHYKIT_TEST_UNSET_VARIABLE", "--key-file", KeyFile],
            "bad-id" => ["transcripts", "list", "-s", new string('x', 200), "--db", Db, "--key-file", KeyFile],
            "half-address" => ["transcripts", "verify", "-s", "alice", "--db", Db, "--key-file", KeyFile],
            _ => ["transcripts", "audit", "--max", "0", "--db", Db, "--key-file", KeyFile],
        };

        (int code, string output, string error) = await RunRawAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("empathykit transcripts ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "nope.db")), "a missing database must not be created");
    }

    [PostgresFact]
    public async Task The_commands_run_against_PostgreSQL_as_the_application_role()
    {
        string owner = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES")!;
        string app = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES_APP")!;
        string schema = "ekcli_" + Guid.NewGuid().ToString("N")[..12];
        await PostgreSqlTranscriptStore.CreateSchemaAsync(owner, schema, new NpgsqlConnectionStringBuilder(app).Username);
        try
        {
            using (var store = new PostgreSqlTranscriptStore(app, schema, createSchema: false))
            await using (var rig = new VaultRig(store, KeyFile))
            {
                await rig.AppendAsync(At("alice", "pg-chat"), VaultRig.User("kept in postgres", rig.Time.GetUtcNow()));
            }

            string[] common = ["--postgres-env", "EMPATHYKIT_POSTGRES_APP", "--schema", schema, "--key-file", KeyFile];
            (int code, string output, string error) = await RunRawAsync(["transcripts", "read", "-s", "alice", "-c", "pg-chat", .. common]);
            Assert.True(code == 0, error);
            Assert.Contains("kept in postgres", output, StringComparison.Ordinal);
            (code, _, error) = await RunRawAsync(["transcripts", "erase", "-s", "alice", "--yes", .. common]);
            Assert.True(code == 0, error);
            (code, output, _) = await RunRawAsync(["transcripts", "verify", .. common]);
            Assert.Equal(0, code);
            Assert.Contains("Audit log:", output, StringComparison.Ordinal);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(owner);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Read_shows_what_can_be_read_around_a_damaged_record_and_exits_1()
    {
        await SeedAsync();
        Assert.Equal(3, SqliteDamage.FlipPayloads(Db, sequence: 0));

        (int code, string output, string error) = await RunAsync("transcripts", "read", "-s", "alice", "-c", "morning-chat");
        Assert.Equal(1, code);
        Assert.Contains("Thank you for telling me.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("pills", output, StringComparison.Ordinal);
        Assert.Contains("(1 entries, 1 unreadable)", output, StringComparison.Ordinal);
        Assert.Contains("1 record(s) of this conversation could not be read", error, StringComparison.Ordinal);

        // A conversation whose only record is damaged is not "not found": it is there, and unreadable.
        (code, _, error) = await RunAsync("transcripts", "read", "-s", "carol", "-c", "carol-chat");
        Assert.Equal(1, code);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
    }

    /// <summary>Writes two subjects' conversations: alice has two (one with a high-risk turn), carol one.</summary>
    private async Task SeedAsync()
    {
        using var store = new SqliteTranscriptStore(Db);
        await using var rig = new VaultRig(store, KeyFile);
        DateTimeOffset now = rig.Time.GetUtcNow();
        await rig.AppendAsync(
            At("alice", "morning-chat"),
            VaultRig.User("I have the pills in front of me", now, RiskLevel.High, CrisisCategory.SelfHarm),
            VaultRig.Bot("Thank you for telling me.", now.AddSeconds(1)));
        await rig.AppendAsync(At("alice", "evening-chat"), VaultRig.User("later that day", now.AddHours(9)));
        await rig.AppendAsync(At("carol", "carol-chat"), VaultRig.User("carol's words", now));
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) =>
        RunRawAsync([.. args, "--db", Db, "--key-file", KeyFile]);

    private static async Task<(int Code, string Output, string Error)> RunRawAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
