using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts.Storage;
using Npgsql;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// Runs the conformance suite against a real PostgreSQL server, as the restricted application role. The schema of each
/// case is created by the owner role. Needs <c>EMPATHYKIT_POSTGRES</c> (owner) and <c>EMPATHYKIT_POSTGRES_APP</c>
/// (application role) connection strings; <c>.ci/run</c> starts a server and sets both.
/// </summary>
public sealed class PostgreSqlStoreTests : ITranscriptStoreFactory, IDisposable
{
    private static readonly string? Owner = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES");
    private static readonly string? App = Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES_APP");
    private readonly List<PostgreSqlTranscriptStore> _stores = [];
    private readonly List<string> _schemas = [];

    public static TheoryData<string> Cases => new(TranscriptStoreConformance.Cases);

    [PostgresTheory]
    [MemberData(nameof(Cases))]
    public Task Conforms(string @case) => TranscriptStoreConformance.RunAsync(@case, this);

    [PostgresFact]
    public async Task The_application_role_cannot_update_or_delete_transcript_rows_or_the_audit_log()
    {
        var store = (PostgreSqlTranscriptStore)await CreateAsync();
        await using (var rig = new VaultRig(store))
        {
            await rig.SayAsync(new TranscriptAddress("t", "s", "c"), "protected");
        }

        using var connection = new NpgsqlConnection(App);
        await connection.OpenAsync();
        foreach (string sql in new[]
        {
            $"DELETE FROM {store.Schema}.ek_records",
            $"UPDATE {store.Schema}.ek_records SET expires = expires + 1",
            $"DELETE FROM {store.Schema}.ek_audit",
            $"UPDATE {store.Schema}.ek_audit SET detail = '{{}}'",
            $"DELETE FROM {store.Schema}.ek_subject_keys",
        })
        {
            using var command = new NpgsqlCommand(sql, connection);
            PostgresException error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
    }

    [PostgresFact]
    public async Task Verify_runs_the_databases_own_check_as_the_application_role()
    {
        var store = (PostgreSqlTranscriptStore)await CreateAsync();
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 20; i++)
        {
            await rig.SayAsync(new TranscriptAddress("t", "s", $"c{i % 3}"), $"message {i}");
        }

        using (var connection = new NpgsqlConnection(App))
        {
            await connection.OpenAsync();
            using var installed = new NpgsqlCommand("SELECT COUNT(*) FROM pg_extension WHERE extname = 'amcheck'", connection);
            if ((long)(await installed.ExecuteScalarAsync())! == 0)
            {
                Assert.True(Environment.GetEnvironmentVariable("EMPATHYKIT_REQUIRE_ALL") != "1", "amcheck must be installed where all tests are required (.ci/run installs it)");
                return;
            }
        }

        Assert.Empty(await store.CheckStorageAsync());
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync(decrypt: true);
        Assert.True(report.IsValid, string.Join("; ", report.Problems));
    }

    public async ValueTask<ITranscriptStore> CreateAsync(CancellationToken cancellationToken = default)
    {
        string schema = "ekt_" + Guid.NewGuid().ToString("N")[..16];
        await PostgreSqlTranscriptStore.CreateSchemaAsync(Owner!, schema, new NpgsqlConnectionStringBuilder(App).Username, cancellationToken);
        _schemas.Add(schema);
        return Track(new PostgreSqlTranscriptStore(App!, schema, createSchema: false));
    }

    public ValueTask<ITranscriptStore> ReopenAsync(ITranscriptStore store, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ITranscriptStore>(Track(new PostgreSqlTranscriptStore(App!, ((PostgreSqlTranscriptStore)store).Schema, createSchema: false)));

    public void Dispose()
    {
        foreach (PostgreSqlTranscriptStore store in _stores)
        {
            store.Dispose();
        }

        if (Owner is null)
        {
            return;
        }

        using var connection = new NpgsqlConnection(Owner);
        connection.Open();
        foreach (string schema in _schemas)
        {
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }

    private PostgreSqlTranscriptStore Track(PostgreSqlTranscriptStore store)
    {
        _stores.Add(store);
        return store;
    }
}

/// <summary>A fact that needs the PostgreSQL server: skipped with the reason when its connection strings are absent, unless EMPATHYKIT_REQUIRE_ALL=1.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresSkip.Reason;
    }
}

/// <summary>A theory that needs the PostgreSQL server (see <see cref="PostgresFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        Skip = PostgresSkip.Reason;
    }
}

internal static class PostgresSkip
{
    public static string? Reason =>
        SharedData.RequireAll || (Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES") is { Length: > 0 } && Environment.GetEnvironmentVariable("EMPATHYKIT_POSTGRES_APP") is { Length: > 0 })
            ? null
            : "needs a PostgreSQL server: set EMPATHYKIT_POSTGRES (owner) and EMPATHYKIT_POSTGRES_APP (application role) connection strings, as .ci/run does (EMPATHYKIT_REQUIRE_ALL=1 makes their absence a failure)";
}
