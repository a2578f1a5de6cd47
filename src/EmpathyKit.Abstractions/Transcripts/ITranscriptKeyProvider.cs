namespace EmpathyKit;

/// <summary>
/// The root of the transcript key hierarchy: wraps and unwraps data keys with a key-encryption key that never leaves
/// the provider (a key file for development, a certificate, or a cloud KMS a host plugs in).
/// </summary>
public interface ITranscriptKeyProvider
{
    /// <summary>Wraps a data key with the current key-encryption key.</summary>
    /// <param name="dataKey">The data key to wrap.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The wrapped key with the id of the key that wrapped it.</returns>
    ValueTask<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default);

    /// <summary>Unwraps a data key.</summary>
    /// <param name="wrappedKey">The wrapped key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The data key.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key id is unknown or the wrapped key was tampered with.</exception>
    ValueTask<byte[]> UnwrapKeyAsync(WrappedKey wrappedKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Computes a keyed pseudonym (HMAC-SHA256 under a key held by the provider) of <paramref name="data"/>, so that
    /// conversation ids are never stored in the clear.
    /// </summary>
    /// <param name="data">The identifier bytes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The 32-byte pseudonym; the same input always gives the same output under the same provider.</returns>
    ValueTask<byte[]> ComputePseudonymAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
