namespace EmpathyKit.Transcripts.Storage;

/// <summary>
/// A transcript store that can run its database's own integrity check (SQLite's <c>PRAGMA integrity_check</c>: pages,
/// indexes, constraints), which sees damage the hash chains cannot, such as a corrupted index that retention purging
/// relies on. <c>transcripts verify</c> and <see cref="ITranscriptManager.VerifyIntegrityAsync"/> run it when the store
/// implements this interface.
/// </summary>
public interface ITranscriptStorageCheck
{
    /// <summary>Runs the database's integrity check.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The problems found, content-free (table, index and page names, never record content); empty when none.</returns>
    ValueTask<IReadOnlyList<string>> CheckStorageAsync(CancellationToken cancellationToken = default);
}
