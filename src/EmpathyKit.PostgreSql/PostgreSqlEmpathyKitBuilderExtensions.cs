using EmpathyKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL transcript store on an EmpathyKit pipeline.</summary>
public static class PostgreSqlEmpathyKitBuilderExtensions
{
    /// <summary>Keeps transcripts in PostgreSQL (sealed records only; many hosts can share the database).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string (TLS for anything not on loopback).</param>
    /// <param name="schema">The schema (default <c>empathykit</c>).</param>
    /// <param name="createSchema">Create the schema on first use; <see langword="false"/> when a DBA ran <see cref="PostgreSqlTranscriptStore.CreateSchemaAsync"/>.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UsePostgreSqlTranscripts(this IEmpathyKitBuilder builder, string connectionString, string schema = "empathykit", bool createSchema = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseTranscriptStore(_ => new PostgreSqlTranscriptStore(connectionString, schema, createSchema));
    }
}
