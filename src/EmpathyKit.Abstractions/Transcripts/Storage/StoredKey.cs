namespace EmpathyKit.Transcripts.Storage;

/// <summary>A store-level key as persisted: wrapped by the root key provider, never in the clear.</summary>
/// <param name="Id">The key id.</param>
/// <param name="Kind">What the key protects.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ActivatesAt">When it becomes the key for new data.</param>
/// <param name="ExpiresAt">When it stops wrapping new data (it still unwraps until revoked or destroyed).</param>
/// <param name="RevokedAt">When it was revoked (it no longer unwraps), if it was.</param>
/// <param name="DestroyedAt">When its wrapped bytes were destroyed, if they were.</param>
/// <param name="RootKeyId">The id of the root key that wrapped it.</param>
/// <param name="WrappedKey">The wrapped key bytes; empty once destroyed.</param>
public sealed record StoredKey(
    Guid Id,
    TranscriptKeyKind Kind,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? DestroyedAt,
    string RootKeyId,
    ReadOnlyMemory<byte> WrappedKey);
