using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EmpathyKit.Testing;

internal static class TestCertificates
{
    /// <summary>A self-signed RSA-2048 certificate with its private key, made in memory.</summary>
    public static X509Certificate2 Rsa(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A self-signed EC certificate (which CMS key transport cannot use).</summary>
    public static X509Certificate2 Ec(string name)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", ec, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
