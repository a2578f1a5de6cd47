using System.Security.Cryptography;
using System.Text.Json;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// Known-answer tests of the primitives transcript encryption relies on, with the Wycheproof vectors in
/// ../shared/eval/external/wycheproof (Apache-2.0; read from there, never copied into the repository).
/// </summary>
public sealed class WycheproofTests
{
    [SharedDataFact("eval/external/wycheproof/aes_gcm_test.json")]
    public void Aes_gcm_matches_every_vector_and_rejects_unsupported_nonce_sizes()
    {
        int valid = 0, invalid = 0, rejectedNonces = 0;
        foreach ((JsonElement group, JsonElement test) in Vectors("aes_gcm_test.json"))
        {
            byte[] key = Hex(test, "key"), iv = Hex(test, "iv"), aad = Hex(test, "aad"), msg = Hex(test, "msg"), ct = Hex(test, "ct"), tag = Hex(test, "tag");
            string result = test.GetProperty("result").GetString()!;
            int tcId = test.GetProperty("tcId").GetInt32();
            if (group.GetProperty("ivSize").GetInt32() != 96)
            {
                // .NET's AesGcm takes 12-byte nonces only: every other size must be refused, never silently accepted.
                Assert.ThrowsAny<ArgumentException>(() =>
                {
                    using var gcm = new AesGcm(key, tag.Length);
                    gcm.Encrypt(iv, msg, new byte[msg.Length], new byte[tag.Length], aad);
                });
                rejectedNonces++;
                continue;
            }

            using var aes = new AesGcm(key, tag.Length);
            byte[] plaintext = new byte[ct.Length];
            if (result == "valid")
            {
                byte[] outCt = new byte[msg.Length];
                byte[] outTag = new byte[tag.Length];
                aes.Encrypt(iv, msg, outCt, outTag, aad);
                Assert.True(outCt.AsSpan().SequenceEqual(ct) && outTag.AsSpan().SequenceEqual(tag), $"tcId {tcId}: encryption differs");
                aes.Decrypt(iv, ct, tag, plaintext, aad);
                Assert.True(plaintext.AsSpan().SequenceEqual(msg), $"tcId {tcId}: decryption differs");
                valid++;
            }
            else
            {
                Assert.ThrowsAny<CryptographicException>(() => aes.Decrypt(iv, ct, tag, plaintext, aad));
                invalid++;
            }
        }

        Assert.True(valid > 50 && invalid > 10 && rejectedNonces > 50, $"valid {valid}, invalid {invalid}, rejected nonces {rejectedNonces}");
    }

    [SharedDataFact("eval/external/wycheproof/hmac_sha256_test.json")]
    public void Hmac_sha256_matches_every_vector()
    {
        int count = 0;
        foreach ((JsonElement group, JsonElement test) in Vectors("hmac_sha256_test.json"))
        {
            int tagBytes = group.GetProperty("tagSize").GetInt32() / 8;
            byte[] mac = HMACSHA256.HashData(Hex(test, "key"), Hex(test, "msg"));
            bool equal = CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, tagBytes), Hex(test, "tag"));
            Assert.True(equal == (test.GetProperty("result").GetString() == "valid"), $"tcId {test.GetProperty("tcId").GetInt32()}");
            count++;
        }

        Assert.True(count >= 170, $"{count} vectors");
    }

    [SharedDataFact("eval/external/wycheproof/hkdf_sha256_test.json")]
    public void Hkdf_sha256_matches_every_vector_and_refuses_oversized_output()
    {
        int count = 0;
        foreach ((JsonElement _, JsonElement test) in Vectors("hkdf_sha256_test.json"))
        {
            int size = test.GetProperty("size").GetInt32();
            byte[] ikm = Hex(test, "ikm"), salt = Hex(test, "salt"), info = Hex(test, "info");
            if (test.GetProperty("result").GetString() == "valid")
            {
                byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info);
                Assert.True(okm.AsSpan().SequenceEqual(Hex(test, "okm")), $"tcId {test.GetProperty("tcId").GetInt32()}");
            }
            else
            {
                Assert.ThrowsAny<ArgumentException>(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, size, salt, info));
            }

            count++;
        }

        Assert.True(count >= 80, $"{count} vectors");
    }

    private static IEnumerable<(JsonElement Group, JsonElement Test)> Vectors(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("eval/external/wycheproof/" + file)));
        var all = new List<(JsonElement, JsonElement)>();
        foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                all.Add((group.Clone(), test.Clone()));
            }
        }

        return all;
    }

    private static byte[] Hex(JsonElement test, string name) => Convert.FromHexString(test.GetProperty(name).GetString()!);
}
