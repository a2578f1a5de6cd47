using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>Recovery from an escrow envelope after the root key is lost, and refusal of envelopes that are not genuine.</summary>
public sealed class KeyRecoveryTests
{
    private static TranscriptAddress At(string subject, string conversation) => new(TranscriptAddress.DefaultTenant, subject, conversation);

    [Fact]
    public async Task A_lost_root_key_is_recovered_from_escrow_and_every_record_reads_again()
    {
        var store = new InMemoryTranscriptStore();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        byte[] envelope;
        await using (var before = new VaultRig(store))
        {
            await before.SayAsync(At("s1", "c1"), "first words");
            await before.SayAsync(At("s2", "c2"), "second words");
            envelope = await before.Vault.EscrowKeysAsync(escrow);
        }

        // The old key file is gone; a new one takes its place.
        await using var after = new VaultRig(store);
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await after.Vault.ReadAsync(At("s1", "c1"), 10));

        KeyRecoveryResult result = await after.Vault.RecoverKeysAsync(envelope, escrow, actor: "ops:alice");

        Assert.Equal(new KeyRecoveryResult(Recovered: 2, AlreadyUsable: 0, RecoveredRevoked: 0, Unrecoverable: 0), result);
        Assert.Equal(["first words"], (await after.Vault.ReadAsync(At("s1", "c1"), 10)).Select(e => e.Text));
        Assert.Equal(["second words"], (await after.Vault.ReadAsync(At("s2", "c2"), 10)).Select(e => e.Text));
        await after.SayAsync(At("s3", "c3"), "after recovery");
        Assert.Equal(["after recovery"], (await after.Vault.ReadAsync(At("s3", "c3"), 10)).Select(e => e.Text));
        Assert.True((await after.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
        Assert.True((await after.Vault.VerifyAuditLogAsync()).IsValid);
        IReadOnlyList<AuditEntry> audit = await after.Vault.ReadAuditLogAsync(0, 1_000);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.KeyRecovered && e.Actor == "ops:alice"));
        string newRoot = (await store.GetKeysAsync()).Select(k => k.RootKeyId).Distinct().Single();
        Assert.Contains(newRoot, audit.Last(e => e.Kind == AuditKinds.KeyRecovered).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovery_with_a_working_root_changes_nothing()
    {
        await using var rig = new VaultRig(new InMemoryTranscriptStore());
        await rig.SayAsync(At("s", "c"), "x");
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        byte[] envelope = await rig.Vault.EscrowKeysAsync(escrow);
        IReadOnlyList<StoredKey> keysBefore = await rig.Store.GetKeysAsync();

        KeyRecoveryResult result = await rig.Vault.RecoverKeysAsync(envelope, escrow);

        Assert.Equal(new KeyRecoveryResult(0, 2, 0, 0), result);
        Assert.Equal(keysBefore.Select(k => Convert.ToHexString(k.WrappedKey.Span)), (await rig.Store.GetKeysAsync()).Select(k => Convert.ToHexString(k.WrappedKey.Span)));
        Assert.DoesNotContain(await rig.Vault.ReadAuditLogAsync(0, 1_000), e => e.Kind == AuditKinds.KeyRecovered);
    }

    [Fact]
    public async Task A_master_key_that_wraps_nothing_comes_back_revoked_and_a_new_one_takes_over()
    {
        var store = new InMemoryTranscriptStore();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        byte[] envelope;
        await using (var before = new VaultRig(store))
        {
            await before.SayAsync(At("s", "c"), "kept");
            await before.Vault.RotateKeysAsync(); // the old master key now wraps no subject key
            envelope = await before.Vault.EscrowKeysAsync(escrow);
        }

        await using var after = new VaultRig(store);
        KeyRecoveryResult result = await after.Vault.RecoverKeysAsync(envelope, escrow);

        Assert.Equal(new KeyRecoveryResult(Recovered: 2, AlreadyUsable: 0, RecoveredRevoked: 1, Unrecoverable: 0), result);
        Assert.Equal(["kept"], (await after.Vault.ReadAsync(At("s", "c"), 10)).Select(e => e.Text));
        IReadOnlyList<MasterKeyInfo> keys = await after.Vault.ListKeysAsync();
        Assert.Single(keys, k => k.Status == MasterKeyStatus.Revoked);
        await after.SayAsync(At("new", "c-new"), "fresh subject");
        Assert.Equal(["fresh subject"], (await after.Vault.ReadAsync(At("new", "c-new"), 10)).Select(e => e.Text));
    }

    [Fact]
    public async Task An_envelope_forged_with_the_public_certificate_is_refused_and_changes_nothing()
    {
        var store = new InMemoryTranscriptStore();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        await using (var before = new VaultRig(store))
        {
            await before.SayAsync(At("s", "c"), "x");
        }

        // Key ids are visible in the store; key bytes are not. The forger picks its own.
        var forged = new JsonArray();
        foreach (StoredKey key in await store.GetKeysAsync())
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(32);
            forged.Add(new JsonObject { ["id"] = key.Id.ToString("D"), ["key"] = Convert.ToBase64String(bytes), ["check"] = TranscriptVault.KeyCheckValue(bytes) });
        }

        byte[] envelope = TranscriptCms.Encrypt(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["format"] = "empathykit-key-escrow/1", ["keys"] = forged }), escrow);
        await AssertRefusedAsync(store, envelope, escrow, "audit log");
    }

    [Fact]
    public async Task A_genuine_envelope_with_one_master_key_swapped_is_refused_before_anything_is_written()
    {
        var store = new InMemoryTranscriptStore();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        JsonNode payload = await EscrowPayloadAsync(store, escrow);
        JsonNode master = payload["keys"]!.AsArray().First(k => (string?)k!["kind"] == "master")!;
        byte[] swapped = RandomNumberGenerator.GetBytes(32);
        master["key"] = Convert.ToBase64String(swapped);
        master["check"] = TranscriptVault.KeyCheckValue(swapped);
        await AssertRefusedAsync(store, TranscriptCms.Encrypt(JsonSerializer.SerializeToUtf8Bytes(payload), escrow), escrow, "subject keys");
    }

    [Theory]
    [InlineData("check")]
    [InlineData("format")]
    [InlineData("length")]
    [InlineData("json")]
    public async Task A_damaged_envelope_payload_is_refused_with_a_clear_error(string damage)
    {
        var store = new InMemoryTranscriptStore();
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        JsonNode payload = await EscrowPayloadAsync(store, escrow);
        JsonNode first = payload["keys"]![0]!;
        byte[] bytes = damage switch
        {
            "check" => Mutate(() => first["check"] = "0000000000000000"),
            "format" => Mutate(() => payload["format"] = "something-else/9"),
            "length" => Mutate(() =>
            {
                byte[] shortKey = RandomNumberGenerator.GetBytes(16);
                first["key"] = Convert.ToBase64String(shortKey);
                first["check"] = TranscriptVault.KeyCheckValue(shortKey);
            }),
            _ => "{ not json"u8.ToArray(),
        };
        await AssertRefusedAsync(store, TranscriptCms.Encrypt(bytes, escrow), escrow, "escrow");

        byte[] Mutate(Action change)
        {
            change();
            return JsonSerializer.SerializeToUtf8Bytes(payload);
        }
    }

    [Fact]
    public async Task The_escrow_of_another_store_is_refused()
    {
        using X509Certificate2 escrow = TestCertificates.Rsa("escrow");
        byte[] other;
        await using (var elsewhere = new VaultRig(new InMemoryTranscriptStore()))
        {
            await elsewhere.SayAsync(At("s", "c"), "elsewhere");
            other = await elsewhere.Vault.EscrowKeysAsync(escrow);
        }

        var store = new InMemoryTranscriptStore();
        await using (var before = new VaultRig(store))
        {
            await before.SayAsync(At("s", "c"), "here");
        }

        await AssertRefusedAsync(store, other, escrow, "another store");
    }

    /// <summary>Writes one record to <paramref name="store"/> and returns its escrow payload, opened.</summary>
    private static async Task<JsonNode> EscrowPayloadAsync(InMemoryTranscriptStore store, X509Certificate2 escrow)
    {
        await using var before = new VaultRig(store);
        await before.SayAsync(At("s", "c"), "x");
        return JsonNode.Parse(TranscriptCms.Decrypt(await before.Vault.EscrowKeysAsync(escrow), escrow))!;
    }

    private static async Task AssertRefusedAsync(InMemoryTranscriptStore store, byte[] envelope, X509Certificate2 escrow, string reason)
    {
        string keysBefore = string.Join(',', (await store.GetKeysAsync()).Select(k => k.RootKeyId + Convert.ToHexString(k.WrappedKey.Span)));
        long auditBefore = (await store.ReadAuditAsync(0, 10_000)).Count;
        await using var after = new VaultRig(store);

        CryptographicException refused = await Assert.ThrowsAnyAsync<CryptographicException>(async () => await after.Vault.RecoverKeysAsync(envelope, escrow));

        Assert.Contains(reason, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(keysBefore, string.Join(',', (await store.GetKeysAsync()).Select(k => k.RootKeyId + Convert.ToHexString(k.WrappedKey.Span))));
        Assert.Equal(auditBefore, (await store.ReadAuditAsync(0, 10_000)).Count);
        await Assert.ThrowsAnyAsync<CryptographicException>(async () => await after.Vault.ReadAsync(At("s", "c"), 10));
    }
}
