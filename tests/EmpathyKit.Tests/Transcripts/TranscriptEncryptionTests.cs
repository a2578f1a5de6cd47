using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>The v1 record format: golden bytes, tamper evidence, key commitment and binding to a place.</summary>
public sealed class TranscriptEncryptionTests : IDisposable
{
    private static readonly byte[] SubjectKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly Guid SubjectKeyId = Guid.Parse("0190f5a2-7c1e-7d3a-9b2c-4e5f60718293");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));

    public TranscriptEncryptionTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static TranscriptRecordFormat.Place PlaceAt(long sequence = 7, string conversation = "c_conversation") =>
        new("t_tenant", "s_subject", conversation, sequence, new byte[32], new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Golden_v1_record_opens_and_reseals_to_the_same_bytes()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Transcripts", "Golden", "record-v1.json");
        string source = Path.Combine(SourceDirectory(), "Transcripts", "Golden", "record-v1.json");
        byte[] salt = Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
        byte[] plaintext = Encoding.UTF8.GetBytes("""{"role":"user","text":"I feel low today","risk":"low","categories":["distress"]}""");
        TranscriptRecordFormat.Place place = PlaceAt();
        if (Environment.GetEnvironmentVariable("EMPATHYKIT_UPDATE_GOLDEN") == "1")
        {
            byte[] made = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, plaintext, salt);
            var golden = new Dictionary<string, string>
            {
                ["comment"] = "Frozen EmpathyKit transcript record format v1. Never regenerate for a format change: add record-v2.json instead.",
                ["subjectKey"] = Convert.ToHexStringLower(SubjectKey),
                ["subjectKeyId"] = SubjectKeyId.ToString("D"),
                ["salt"] = Convert.ToHexStringLower(salt),
                ["plaintext"] = Encoding.UTF8.GetString(plaintext),
                ["record"] = Convert.ToHexStringLower(made),
                ["chainHash"] = Convert.ToHexStringLower(TranscriptRecordFormat.ChainHash(new StoredRecord(place.Conversation, place.Sequence, place.CreatedAt, place.ExpiresAt, place.PreviousHash, made))),
            };
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, JsonSerializer.Serialize(golden, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            path = source;
        }

        Dictionary<string, string> frozen = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
        byte[] record = Convert.FromHexString(frozen["record"]);
        Assert.Equal(frozen["plaintext"], Encoding.UTF8.GetString(TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, record)));
        Assert.Equal(record, TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, plaintext, salt));
        Assert.Equal(frozen["chainHash"], Convert.ToHexStringLower(TranscriptRecordFormat.ChainHash(new StoredRecord(place.Conversation, place.Sequence, place.CreatedAt, place.ExpiresAt, place.PreviousHash, record))));
        Assert.Equal("EKTR"u8.ToArray(), record[..4]);
        Assert.Equal(1, record[4]);
        Assert.Equal(TranscriptRecordFormat.Overhead + plaintext.Length, record.Length);
    }

    [Fact]
    public void Every_flipped_bit_and_every_truncation_of_a_record_is_detected()
    {
        TranscriptRecordFormat.Place place = PlaceAt();
        byte[] original = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, "hi"u8);
        Assert.Equal("hi"u8.ToArray(), TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, original));
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] tampered = (byte[])original.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.ThrowsAny<CryptographicException>(() => TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, tampered));
        }

        for (int length = 0; length < original.Length; length++)
        {
            Assert.ThrowsAny<CryptographicException>(() => TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, original[..length]));
        }
    }

    [Fact]
    public void A_record_is_bound_to_its_tenant_subject_conversation_sequence_previous_hash_and_times()
    {
        TranscriptRecordFormat.Place place = PlaceAt();
        byte[] record = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, "bound"u8);
        TranscriptRecordFormat.Place[] moved =
        [
            place with { Tenant = "t_other" },
            place with { Subject = "s_other" },
            place with { Conversation = "c_other" },
            place with { Sequence = place.Sequence + 1 },
            place with { PreviousHash = Enumerable.Repeat((byte)1, 32).ToArray() },
            place with { CreatedAt = place.CreatedAt.AddTicks(1) },
            place with { ExpiresAt = place.ExpiresAt.AddDays(365) },
        ];
        foreach (TranscriptRecordFormat.Place elsewhere in moved)
        {
            Assert.ThrowsAny<CryptographicException>(() => TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, elsewhere, record));
        }
    }

    [Fact]
    public void A_different_key_fails_the_commitment_before_decryption()
    {
        TranscriptRecordFormat.Place place = PlaceAt();
        byte[] record = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, "secret"u8);
        byte[] otherKey = RandomNumberGenerator.GetBytes(32);
        CryptographicException error = Assert.ThrowsAny<CryptographicException>(() => TranscriptRecordFormat.Open(otherKey, SubjectKeyId, place, record));
        Assert.Contains("commitment", error.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => TranscriptRecordFormat.Open(SubjectKey, Guid.NewGuid(), place, record));
    }

    [Fact]
    public void Salts_and_record_keys_are_never_reused()
    {
        TranscriptRecordFormat.Place place = PlaceAt();
        var salts = new HashSet<string>();
        for (int i = 0; i < 1_000; i++)
        {
            byte[] record = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, "same"u8);
            Assert.True(salts.Add(Convert.ToHexString(record.AsSpan(TranscriptRecordFormat.HeaderLength, TranscriptRecordFormat.SaltLength))));
        }
    }

    [Property]
    public bool Any_flipped_bit_or_truncation_of_a_random_record_is_detected(byte[]? plaintext, NonNegativeInt sequence, NonNegativeInt bit, NonNegativeInt cut)
    {
        byte[] data = plaintext ?? [];
        TranscriptRecordFormat.Place place = PlaceAt(sequence.Get);
        byte[] record = TranscriptRecordFormat.Seal(SubjectKey, SubjectKeyId, place, data);
        bool opens = TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, record).AsSpan().SequenceEqual(data);
        byte[] flipped = (byte[])record.Clone();
        int flip = bit.Get % (flipped.Length * 8);
        flipped[flip / 8] ^= (byte)(1 << (flip % 8));
        return opens && Fails(place, flipped) && Fails(place, record[..(cut.Get % record.Length)]);
    }

    [Fact]
    public void Key_files_are_owner_only_and_shared_ones_are_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Path.Combine(_dir, "k.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => new KeyFileTranscriptKeyProvider(path));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_key_files_get_clear_errors()
    {
        string path = Path.Combine(_dir, "bad.key");
        File.WriteAllText(path, "not a key");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Assert.Throws<InvalidOperationException>(() => new KeyFileTranscriptKeyProvider(path));
        Assert.Throws<FileNotFoundException>(() => new KeyFileTranscriptKeyProvider(Path.Combine(_dir, "missing.key")));
    }

    [Fact]
    public async Task Root_providers_bind_the_context_and_refuse_foreign_keys()
    {
        string path = Path.Combine(_dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(path);
        using var file = new KeyFileTranscriptKeyProvider(path);
        using System.Security.Cryptography.X509Certificates.X509Certificate2 cert = TestCertificates.Rsa("root");
        ITranscriptKeyProvider[] providers = [file, new CertificateTranscriptKeyProvider(cert)];
        foreach (ITranscriptKeyProvider provider in providers)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            WrappedKey wrapped = await provider.WrapKeyAsync(key, "ctx-a"u8.ToArray());
            Assert.Equal(provider.KeyId, wrapped.KeyId);
            Assert.Equal(key, await provider.UnwrapKeyAsync(wrapped, "ctx-a"u8.ToArray()));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => provider.UnwrapKeyAsync(wrapped, "ctx-b"u8.ToArray()).AsTask());
            await Assert.ThrowsAnyAsync<CryptographicException>(() => provider.UnwrapKeyAsync(wrapped with { KeyId = "other" }, "ctx-a"u8.ToArray()).AsTask());
            byte[] tampered = wrapped.Ciphertext.ToArray();
            tampered[^1] ^= 1;
            await Assert.ThrowsAnyAsync<CryptographicException>(() => provider.UnwrapKeyAsync(wrapped with { Ciphertext = tampered }, "ctx-a"u8.ToArray()).AsTask());
        }
    }

    private static bool Fails(TranscriptRecordFormat.Place place, byte[] record)
    {
        try
        {
            TranscriptRecordFormat.Open(SubjectKey, SubjectKeyId, place, record);
            return false;
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
