namespace EmpathyKit.Transcripts.Storage;

/// <summary>Chains audit entries: a store calls it with the log's last entry while holding the log's write lock.</summary>
public interface IAuditSealer
{
    /// <summary>Builds the next entry after <paramref name="previous"/>.</summary>
    /// <param name="previous">The log's last entry, or <see langword="null"/> when the log is empty.</param>
    /// <param name="draft">The entry to chain.</param>
    /// <returns>The chained entry to insert.</returns>
    AuditEntry Seal(AuditEntry? previous, AuditDraft draft);
}
