using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Transcripts;

public sealed class InMemoryStoreConformanceTests : ITranscriptStoreFactory
{
    public static TheoryData<string> Cases => new(TranscriptStoreConformance.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Conforms(string @case) => TranscriptStoreConformance.RunAsync(@case, this);

    public ValueTask<ITranscriptStore> CreateAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<ITranscriptStore>(new InMemoryTranscriptStore());

    public ValueTask<ITranscriptStore> ReopenAsync(ITranscriptStore store, CancellationToken cancellationToken = default) => ValueTask.FromResult(store);
}

public sealed class SqliteStoreConformanceTests : ITranscriptStoreFactory, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteTranscriptStore> _stores = [];

    public SqliteStoreConformanceTests() => Directory.CreateDirectory(_dir);

    public static TheoryData<string> Cases => new(TranscriptStoreConformance.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Conforms(string @case) => TranscriptStoreConformance.RunAsync(@case, this);

    public ValueTask<ITranscriptStore> CreateAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ITranscriptStore>(Track(new SqliteTranscriptStore(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"))));

    public ValueTask<ITranscriptStore> ReopenAsync(ITranscriptStore store, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ITranscriptStore>(Track(new SqliteTranscriptStore(((SqliteTranscriptStore)store).DatabasePath)));

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
