using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EmpathyKit.Tests.Web;

/// <summary>The web sample in process, on its own SQLite file, with the development operators of its configuration.</summary>
public sealed partial class WebSampleFactory : WebApplicationFactory<EmpathyKit.Samples.Web.SampleSettings>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "empathykit-tests", "web-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Development");
        builder.UseSetting("WebSample:Database", Path.Combine(_directory, "web.db"));
        builder.UseSetting("EmpathyKit:Country", "GB");
        builder.UseSetting("EmpathyKit:Escalations:WaitForDelivery", "00:00:00");
    }

    /// <summary>A client that keeps its cookies and does not follow redirects (a browser tab, without a browser).</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs an operator in through the sign-in form (with its antiforgery token) and returns the session's CSRF token.</summary>
    public static async Task<string> SignInAsync(HttpClient client, string userName, string password)
    {
        string page = await client.GetStringAsync("/operator/login");
        Match token = Token().Match(page);
        Assert.True(token.Success, "The sign-in form has an antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["username"] = userName,
            ["password"] = password,
        });
        HttpResponseMessage signedIn = await client.PostAsync("/operator/login", form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/operator", signedIn.Headers.Location?.OriginalString);
        HttpResponseMessage session = await client.GetAsync("/api/operator/session");
        if (session.StatusCode != HttpStatusCode.OK)
        {
            return string.Empty;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("csrf").GetString()!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex Token();
}
