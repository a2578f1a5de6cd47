namespace EmpathyKit;

/// <summary>A key encrypted ("wrapped") by a key-encryption key.</summary>
/// <param name="KeyId">The id of the key-encryption key that wrapped it.</param>
/// <param name="Ciphertext">The wrapped key bytes.</param>
public sealed record WrappedKey(string KeyId, ReadOnlyMemory<byte> Ciphertext);
