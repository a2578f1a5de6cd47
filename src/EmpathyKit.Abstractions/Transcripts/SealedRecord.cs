namespace EmpathyKit;

/// <summary>An encrypted transcript record as a storage provider keeps it: opaque bytes with an id and a time.</summary>
/// <param name="RecordId">The record's unique id (bound into the ciphertext's authenticated data).</param>
/// <param name="CreatedAt">When the record was written (also inside the authenticated data).</param>
/// <param name="Payload">The sealed envelope: header, wrapped key, nonce, ciphertext and tag.</param>
public sealed record SealedRecord(Guid RecordId, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> Payload);
