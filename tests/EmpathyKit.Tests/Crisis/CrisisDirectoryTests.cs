using System.Text;
using EmpathyKit.Pii;

namespace EmpathyKit.Tests.Crisis;

public sealed class CrisisDirectoryTests
{
    private static readonly string[] GuideCountries = ["US", "CA", "GB", "IE", "AU", "NZ", "FR", "DE", "ES", "NL", "KR", "IN", "BR", "SG"];

    [Fact]
    public void Every_entry_has_an_emergency_number_a_line_a_source_and_a_verification_date()
    {
        CrisisDirectory directory = CrisisDirectory.Default;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", directory.Version);
        foreach (CrisisDirectoryEntry entry in directory.Entries)
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.EmergencyNumber), entry.CountryCode);
            Assert.False(string.IsNullOrWhiteSpace(entry.Source), entry.CountryCode);
            Assert.NotEmpty(entry.Lines);
            Assert.All(entry.Lines, l => Assert.False(string.IsNullOrWhiteSpace(l.Number)));
            Assert.True(entry.VerifiedOn > new DateOnly(2025, 1, 1), entry.CountryCode);
        }
    }

    [Fact]
    public void The_guides_countries_and_a_fallback_are_listed()
    {
        foreach (string country in GuideCountries)
        {
            Assert.Equal(country, CrisisDirectory.Default.Find(country).CountryCode);
        }

        Assert.Equal("*", CrisisDirectory.Default.Find("ZZ").CountryCode);
        Assert.Equal("*", CrisisDirectory.Default.Find(null).CountryCode);
        Assert.Equal("116 123", CrisisDirectory.Default.Find("gb").Lines[0].Number);
    }

    [Fact]
    public void Crisis_numbers_are_never_redacted()
    {
        RecognizerPiiDetector detector = RecognizerPiiDetector.CreateDefault();
        foreach (CrisisDirectoryEntry entry in CrisisDirectory.Default.Entries.Where(e => e.CountryCode != "*"))
        {
            foreach (string number in entry.Lines.Select(l => l.Number).Append(entry.EmergencyNumber))
            {
                string text = $"You can call {number} any time.";
                Assert.Empty(detector.Detect(text));
            }
        }
    }

    [Fact]
    public void A_host_can_load_its_own_directory_and_bad_data_is_refused()
    {
        const string good = """
            { "version": "host-1", "entries": [
              { "country": "*", "name": "Elsewhere", "emergency": "112", "source": "host", "verifiedOn": "2026-11-01", "lines": [ { "name": "Line", "number": "000", "how": "call" } ] },
              { "country": "XX", "name": "Xland", "emergency": "199", "source": "host", "verifiedOn": "2026-11-01", "lines": [ { "name": "X line", "number": "1234", "how": "call" } ] } ] }
            """;
        CrisisDirectory directory = CrisisDirectory.Load(new MemoryStream(Encoding.UTF8.GetBytes(good)));
        Assert.Equal("host-1", directory.Version);
        Assert.Equal("199", directory.Find("XX").EmergencyNumber);

        const string noFallback = """{ "entries": [ { "country": "XX", "name": "X", "emergency": "1", "source": "s", "verifiedOn": "2026-11-01", "lines": [ { "name": "l", "number": "1", "how": "call" } ] } ] }""";
        Assert.Throws<InvalidDataException>(() => CrisisDirectory.Load(new MemoryStream(Encoding.UTF8.GetBytes(noFallback))));
        const string noEmergency = """{ "entries": [ { "country": "*", "name": "X", "emergency": "", "source": "s", "verifiedOn": "2026-11-01", "lines": [ { "name": "l", "number": "1", "how": "call" } ] } ] }""";
        Assert.Throws<InvalidDataException>(() => CrisisDirectory.Load(new MemoryStream(Encoding.UTF8.GetBytes(noEmergency))));
        Assert.Throws<InvalidDataException>(() => CrisisDirectory.Load(new MemoryStream(Encoding.UTF8.GetBytes("not json"))));
    }

    [Fact]
    public void A_host_can_override_a_country()
    {
        CrisisDirectory directory = CrisisDirectory.Default.With([new CrisisDirectoryEntry("GB", "United Kingdom", "999", [new CrisisLine("Host line", "0800 000 0000", "call")], "host", new DateOnly(2026, 11, 1))]);
        Assert.Equal("Host line", directory.Find("GB").Lines[0].Name);
        Assert.Equal("988", directory.Find("US").Lines[0].Number);
    }
}
