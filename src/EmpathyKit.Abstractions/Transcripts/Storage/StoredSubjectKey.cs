namespace EmpathyKit.Transcripts.Storage;

/// <summary>A data subject's data key as persisted, wrapped by a master key. Deleting it crypto-shreds the subject.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="KeyId">The data key's id (a new one after an erasure).</param>
/// <param name="MasterKeyId">The master key that wraps it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="WrappedKey">The wrapped key.</param>
public sealed record StoredSubjectKey(string Tenant, string Subject, Guid KeyId, Guid MasterKeyId, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> WrappedKey);
