using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Testing;

/// <summary>
/// Makes the stores the conformance suite runs against: a fresh, empty store for each case, and second handles on a
/// store's data, as another host or process would open it.
/// </summary>
/// <remarks>
/// The factory owns what it makes: the suite never disposes a store, so dispose (and drop the databases of) the stores
/// you made when your test ends. A case may create several stores and reopen each of them more than once.
/// </remarks>
public interface ITranscriptStoreFactory
{
    /// <summary>Creates a fresh, empty store.</summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The store.</returns>
    ValueTask<ITranscriptStore> CreateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a second handle on <paramref name="store"/>'s data, as another host would: a new connection or instance
    /// over the same database (for a store that lives in one process's memory, <paramref name="store"/> itself).
    /// </summary>
    /// <param name="store">A store this factory created.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The second handle.</returns>
    ValueTask<ITranscriptStore> ReopenAsync(ITranscriptStore store, CancellationToken cancellationToken = default);
}
