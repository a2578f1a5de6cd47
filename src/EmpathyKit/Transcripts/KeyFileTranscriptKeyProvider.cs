using System.Security.Cryptography;
using System.Text;

namespace EmpathyKit;

/// <summary>
/// A key provider backed by a 256-bit root key in a file readable by its owner only. The root key never leaves the
/// provider: HKDF-SHA256 derives the key-wrapping key (AES-256-GCM, the caller's context as authenticated data) from it.
/// </summary>
/// <remarks>
/// File format (text): <c>empathykit-key v1</c>, the key id, and the base64 key, one a line. On Unix a key file that
/// its group or others can read is refused, as SSH refuses such private keys. Suitable for development and single
/// hosts; production hosts plug in a KMS-backed <see cref="ITranscriptKeyProvider"/>.
/// </remarks>
public sealed class KeyFileTranscriptKeyProvider : ITranscriptKeyProvider, IDisposable
{
    private const string Header = "empathykit-key v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly string _keyId;
    private readonly byte[] _wrappingKey;
    private readonly byte[] _wrapAad;

    /// <summary>Initializes a new instance of the <see cref="KeyFileTranscriptKeyProvider"/> class from a key file.</summary>
    /// <param name="path">The key file's path.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidOperationException">The file is malformed or readable by others.</exception>
    public KeyFileTranscriptKeyProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The transcript key file '{path}' does not exist. Create one with KeyFileTranscriptKeyProvider.CreateKeyFile.", path);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"The transcript key file '{path}' can be read or written by other users; restrict it to its owner (chmod 600).");
        }

        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 3 || lines[0].Trim() != Header || string.IsNullOrWhiteSpace(lines[1]))
        {
            throw new InvalidOperationException($"The transcript key file '{path}' is not in the '{Header}' format.");
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2].Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The transcript key file '{path}' does not hold a base64 key.");
        }

        try
        {
            if (root.Length != 32)
            {
                throw new InvalidOperationException($"The transcript key file '{path}' must hold a 256-bit key.");
            }

            _keyId = lines[1].Trim();
            _wrappingKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, info: "EmpathyKit key wrapping v1"u8.ToArray());
            _wrapAad = Encoding.UTF8.GetBytes("EmpathyKit.KeyWrap.v1:" + _keyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(root);
        }
    }

    /// <inheritdoc />
    public string KeyId => _keyId;

    /// <summary>Creates a new key file with a random 256-bit key, readable and writable by its owner only.</summary>
    /// <param name="path">Where to create it; the folder is created (owner-only on Unix) if missing.</param>
    /// <exception cref="IOException">The file already exists.</exception>
    public static void CreateKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            EmpathyKitPaths.EnsurePrivateDirectory(folder);
        }

        byte[] key = RandomNumberGenerator.GetBytes(32);
        string keyId = "k-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write($"{Header}\n{keyId}\n{Convert.ToBase64String(key)}\n");
        }

        CryptographicOperations.ZeroMemory(key);
    }

    /// <inheritdoc />
    public ValueTask<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default)
    {
        byte[] output = new byte[NonceSize + TagSize + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(_wrappingKey, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), key.Span, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Aad(context.Span));
        return ValueTask.FromResult(new WrappedKey(_keyId, output));
    }

    /// <inheritdoc />
    public ValueTask<byte[]> UnwrapKeyAsync(WrappedKey wrappedKey, ReadOnlyMemory<byte> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrappedKey);
        if (!string.Equals(wrappedKey.KeyId, _keyId, StringComparison.Ordinal))
        {
            throw new CryptographicException("The key was wrapped under a root key this provider does not hold.");
        }

        ReadOnlySpan<byte> input = wrappedKey.Ciphertext.Span;
        if (input.Length <= NonceSize + TagSize)
        {
            throw new CryptographicException("The wrapped key is truncated.");
        }

        byte[] key = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_wrappingKey, TagSize);
        aes.Decrypt(input[..NonceSize], input[(NonceSize + TagSize)..], input.Slice(NonceSize, TagSize), key, Aad(context.Span));
        return ValueTask.FromResult(key);
    }

    private byte[] Aad(ReadOnlySpan<byte> context)
    {
        byte[] aad = new byte[_wrapAad.Length + 1 + context.Length];
        _wrapAad.CopyTo(aad, 0);
        context.CopyTo(aad.AsSpan(_wrapAad.Length + 1));
        return aad;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_wrappingKey);
    }
}
