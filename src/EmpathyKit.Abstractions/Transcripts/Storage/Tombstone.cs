namespace EmpathyKit.Transcripts.Storage;

/// <summary>The plaintext-free fact that a subject was erased.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="ErasureId">The erasure's id (also in the audit log's certificate).</param>
/// <param name="ErasedAt">When.</param>
public sealed record Tombstone(string Tenant, string Subject, Guid ErasureId, DateTimeOffset ErasedAt);
