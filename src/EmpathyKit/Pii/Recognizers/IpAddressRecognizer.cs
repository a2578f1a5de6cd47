using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>IPv4 addresses (four octets, each at most 255) and IPv6 addresses (validated by parsing).</summary>
internal sealed partial class IpAddressRecognizer : IPiiRecognizer
{
    public string Name => "ip_address";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text) && !text.Text.Contains(':', StringComparison.Ordinal))
        {
            return;
        }

        foreach (Match m in V4Regex().Matches(text.Text))
        {
            RegexRecognizer.Add(results, text, m, PiiTypes.IpAddress, 0.8, 1.0, "ipv4", PiiContextWords.Ip);
        }

        foreach (Match m in V6Regex().Matches(text.Text))
        {
            if (m.Value.Count(c => c == ':') >= 2 && m.Value.Any(char.IsAsciiHexDigit)
                && IPAddress.TryParse(m.Value, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                RegexRecognizer.Add(results, text, m, PiiTypes.IpAddress, 0.85, 1.0, "ipv6", PiiContextWords.Ip);
            }
        }
    }

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex V4Regex();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![\w:])", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex V6Regex();
}
