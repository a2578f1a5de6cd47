namespace EmpathyKit.Transcripts.Storage;

/// <summary>A sealed transcript record as persisted (the payload is the versioned, encrypted record).</summary>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="Sequence">The record's place in its conversation, from 0.</param>
/// <param name="CreatedAt">When it was written (bound into the ciphertext).</param>
/// <param name="ExpiresAt">When retention ends (bound into the ciphertext).</param>
/// <param name="PreviousHash">The chain hash of the record before it (bound into the ciphertext).</param>
/// <param name="Payload">The sealed record bytes.</param>
public sealed record StoredRecord(string Conversation, long Sequence, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, ReadOnlyMemory<byte> PreviousHash, ReadOnlyMemory<byte> Payload);
