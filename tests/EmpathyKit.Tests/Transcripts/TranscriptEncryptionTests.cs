using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Transcripts;
using FsCheck;
using FsCheck.Fluent;

namespace EmpathyKit.Tests.Transcripts;

public sealed class TranscriptEncryptionTests : IDisposable
{
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

    private KeyFileTranscriptKeyProvider NewKey(string name = "t.key")
    {
        string path = Path.Combine(_dir, name);
        KeyFileTranscriptKeyProvider.CreateKeyFile(path);
        return new KeyFileTranscriptKeyProvider(path);
    }

    private static TranscriptEntry Entry(string text, TranscriptRole role = TranscriptRole.User) =>
        new(role, text, DateTimeOffset.UtcNow, RiskLevel.Low, [CrisisCategory.Distress]);

    [Fact]
    public async Task Sqlite_file_holds_neither_plaintext_nor_raw_conversation_ids()
    {
        using KeyFileTranscriptKeyProvider key = NewKey();
        string db = Path.Combine(_dir, "t.db");
        var log = new EncryptedTranscriptLog(new SqliteTranscriptStore(db), key, TimeProvider.System);
        await log.AppendAsync("conversation-canary-42", [Entry("canary sentence about my sister"), Entry("bot canary reply", TranscriptRole.Assistant)]);
        IReadOnlyList<TranscriptEntry> read = await log.ReadAsync("conversation-canary-42", 10);
        Assert.Equal(["canary sentence about my sister", "bot canary reply"], read.Select(e => e.Text));
        Assert.Equal(RiskLevel.Low, read[0].Risk);
        Assert.Equal([CrisisCategory.Distress], read[0].Categories);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(_dir, "t.db*"))
        {
            string raw = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain("canary", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("conversation-canary-42", raw, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(db));
        }
    }

    [Fact]
    public async Task Every_flipped_bit_of_a_record_is_detected()
    {
        using KeyFileTranscriptKeyProvider key = NewKey();
        var store = new InMemoryTranscriptStore();
        var log = new EncryptedTranscriptLog(store, key, TimeProvider.System);
        await log.AppendAsync("c", [Entry("hi")]);
        var conversationKey = "c1_" + Convert.ToBase64String(await key.ComputePseudonymAsync(Encoding.UTF8.GetBytes("conversation:c"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        SealedRecord record = (await store.ReadAsync(conversationKey, 1))[0];
        byte[] original = record.Payload.ToArray();
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] tampered = (byte[])original.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => TranscriptEnvelope.OpenAsync(key, conversationKey, record with { Payload = tampered }, default).AsTask());
        }

        for (int length = 0; length < original.Length; length++)
        {
            await Assert.ThrowsAnyAsync<CryptographicException>(() => TranscriptEnvelope.OpenAsync(key, conversationKey, record with { Payload = original[..length] }, default).AsTask());
        }

        await Assert.ThrowsAnyAsync<CryptographicException>(() => TranscriptEnvelope.OpenAsync(key, "c1_other", record, default).AsTask());
        await Assert.ThrowsAnyAsync<CryptographicException>(() => TranscriptEnvelope.OpenAsync(key, conversationKey, record with { RecordId = Guid.NewGuid() }, default).AsTask());
        await Assert.ThrowsAnyAsync<CryptographicException>(() => TranscriptEnvelope.OpenAsync(key, conversationKey, record with { CreatedAt = record.CreatedAt.AddSeconds(1) }, default).AsTask());
        Assert.NotEmpty(await TranscriptEnvelope.OpenAsync(key, conversationKey, record, default));
    }

    [Fact]
    public async Task A_different_key_cannot_read_the_transcript()
    {
        using KeyFileTranscriptKeyProvider key = NewKey("a.key");
        using KeyFileTranscriptKeyProvider other = NewKey("b.key");
        var store = new InMemoryTranscriptStore();
        await new EncryptedTranscriptLog(store, key, TimeProvider.System).AppendAsync("c", [Entry("hello")]);
        // Another key derives another pseudonym, so it finds nothing; and it cannot open the records either.
        Assert.Empty(await new EncryptedTranscriptLog(store, other, TimeProvider.System).ReadAsync("c", 10));
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
    public async Task Reads_return_the_latest_entries_in_order()
    {
        using KeyFileTranscriptKeyProvider key = NewKey();
        var log = new EncryptedTranscriptLog(new SqliteTranscriptStore(Path.Combine(_dir, "order.db")), key, TimeProvider.System);
        for (int i = 0; i < 6; i++)
        {
            await log.AppendAsync("c", [Entry($"m{i}")]);
        }

        Assert.Equal(["m3", "m4", "m5"], (await log.ReadAsync("c", 3)).Select(e => e.Text));
    }

    [Fact]
    public void Any_flipped_bit_or_truncation_of_a_random_record_is_detected()
    {
        using KeyFileTranscriptKeyProvider key = NewKey("prop.key");
        Gen<(byte[] Plaintext, int Bit, int Cut)> cases =
            from plaintext in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
            from bit in Gen.Choose(0, 1_000_000)
            from cut in Gen.Choose(0, 1_000_000)
            select (plaintext, bit, cut);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var id = Guid.NewGuid();
            DateTimeOffset created = DateTimeOffset.UnixEpoch.AddDays(c.Bit % 20_000);
            byte[] sealedBytes = TranscriptEnvelope.SealAsync(key, "c1_prop", id, created, c.Plaintext, default).AsTask().GetAwaiter().GetResult();
            var record = new SealedRecord(id, created, sealedBytes);
            bool opens = TranscriptEnvelope.OpenAsync(key, "c1_prop", record, default).AsTask().GetAwaiter().GetResult().AsSpan().SequenceEqual(c.Plaintext);

            byte[] flipped = (byte[])sealedBytes.Clone();
            int bit = c.Bit % (flipped.Length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            byte[] truncated = sealedBytes[..(c.Cut % sealedBytes.Length)];
            return opens && Fails(key, record with { Payload = flipped }) && Fails(key, record with { Payload = truncated });
        }).QuickCheckThrowOnFailure();
    }

    private static bool Fails(ITranscriptKeyProvider key, SealedRecord record)
    {
        try
        {
            TranscriptEnvelope.OpenAsync(key, "c1_prop", record, default).AsTask().GetAwaiter().GetResult();
            return false;
        }
        catch (CryptographicException)
        {
            return true;
        }
    }
}
