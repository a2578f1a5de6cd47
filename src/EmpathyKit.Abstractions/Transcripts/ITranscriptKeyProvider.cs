namespace EmpathyKit;

/// <summary>
/// The root of the transcript key hierarchy: wraps and unwraps the store's master keys with a key-encryption key that
/// never leaves the provider. Built in: an owner-only key file (development, single hosts) and an X.509 certificate;
/// a host implements this interface over its cloud KMS (its encrypt/decrypt calls with an encryption context).
/// </summary>
/// <remarks>
/// Called rarely: when a master key is created, rotated or first used by a process, never per message. The
/// <c>context</c> is authenticated data that must match on unwrap (a KMS "encryption context"); a provider that
/// cannot bind it must refuse to unwrap under a different context some other way, for example by wrapping it with the key.
/// </remarks>
public interface ITranscriptKeyProvider
{
    /// <summary>Gets the id of the key-encryption key that <see cref="WrapKeyAsync"/> uses now.</summary>
    string KeyId { get; }

    /// <summary>Wraps a key with the current key-encryption key.</summary>
    /// <param name="key">The key to wrap.</param>
    /// <param name="context">Authenticated context that must be given again to unwrap.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The wrapped key with the id of the key that wrapped it.</returns>
    ValueTask<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default);

    /// <summary>Unwraps a key.</summary>
    /// <param name="wrappedKey">The wrapped key.</param>
    /// <param name="context">The context given when it was wrapped.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key id is unknown, the context differs or the wrapped key was tampered with.</exception>
    ValueTask<byte[]> UnwrapKeyAsync(WrappedKey wrappedKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default);
}
