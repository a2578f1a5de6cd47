using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Transcripts;

public sealed class InMemoryStoreConformanceTests : IStoreFactory
{
    [Theory]
    [MemberData(nameof(TranscriptConformance.Cases), MemberType = typeof(TranscriptConformance))]
    public Task Conforms(string @case) => TranscriptConformance.RunAsync(@case, this);

    public ITranscriptStore Create() => new InMemoryTranscriptStore();

    public ITranscriptStore Reopen(ITranscriptStore store) => store;
}

public sealed class SqliteStoreConformanceTests : IStoreFactory, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteTranscriptStore> _stores = [];

    public SqliteStoreConformanceTests() => Directory.CreateDirectory(_dir);

    [Theory]
    [MemberData(nameof(TranscriptConformance.Cases), MemberType = typeof(TranscriptConformance))]
    public Task Conforms(string @case) => TranscriptConformance.RunAsync(@case, this);

    public ITranscriptStore Create() => Track(new SqliteTranscriptStore(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db")));

    public ITranscriptStore Reopen(ITranscriptStore store) => Track(new SqliteTranscriptStore(((SqliteTranscriptStore)store).DatabasePath));

    public void Dispose()
    {
        foreach (SqliteTranscriptStore store in _stores)
        {
            store.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private SqliteTranscriptStore Track(SqliteTranscriptStore store)
    {
        _stores.Add(store);
        return store;
    }
}
