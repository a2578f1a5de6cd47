using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using EmpathyKit.Samples.Web;
using EmpathyKit.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Benchmarks;

/// <summary>
/// The web sample under load, bounded and on loopback (issue 18): N users at once, each starting a conversation and
/// sending M messages one after another through the JSON API, against the offline responder and SQLite, with a signed
/// webhook receiver counting the escalations it gets. Reports each turn's latency (p50, p90, p99, max), errors and
/// escalations delivered. Not a BenchmarkDotNet benchmark: one run is the measurement.
/// <c>dotnet run -c Release --project bench/EmpathyKit.Benchmarks -- load [users] [turns]</c>
/// </summary>
internal static class WebLoad
{
    private static readonly string[] Ordinary =
    [
        "work was long again and I keep putting things off",
        "I had an argument with my sister and I can't stop thinking about it",
        "I've been sleeping badly for a couple of weeks",
        "my exams start on Monday and I feel unprepared",
        "I went for a walk today and it helped a little",
        "I don't really know why I feel so flat lately",
    ];

    private const string Crisis = "I have the pills in front of me and I'm going to take them all tonight.";

    public static async Task<int> RunAsync(string[] args)
    {
        int users = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
        int turns = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        string directory = Path.Combine(Path.GetTempPath(), "empathykit-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        WebhookSecret secret = WebhookSecret.Generate();
        Environment.SetEnvironmentVariable("EMPATHYKIT_LOAD_WEBHOOK_SECRET", secret.Export());

        // The receiver: verifies each signature, counts distinct escalation ids.
        var delivered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int badSignatures = 0;
        WebApplicationBuilder receiverBuilder = WebApplication.CreateBuilder();
        receiverBuilder.Logging.ClearProviders();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication receiver = receiverBuilder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            byte[] body = buffer.ToArray();
            WebhookVerification verified = StandardWebhooks.Verify(
                request.Headers[StandardWebhooks.IdHeader], request.Headers[StandardWebhooks.TimestampHeader], request.Headers[StandardWebhooks.SignatureHeader], body, [secret], DateTimeOffset.UtcNow);
            if (verified != WebhookVerification.Valid)
            {
                Interlocked.Increment(ref badSignatures);
                return Results.StatusCode(401);
            }

            delivered.AddOrUpdate(request.Headers[StandardWebhooks.IdHeader].ToString(), 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await receiver.StartAsync();
        string hook = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        // Every user shares this machine's one address, so the per-address limits are lifted for the run; the
        // per-conversation limit stays.
        WebApplication app = WebSample.Build(
            [
                "--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", SampleRoot(),
                "--WebSample:Database", Path.Combine(directory, "web.db"), "--WebSample:ConversationsPerMinute", "100000",
                "--WebSample:MessagesPerTenSeconds", "1000",
                "--WebSample:WebhookEndpoint", hook, "--WebSample:WebhookSecretVariable", "EMPATHYKIT_LOAD_WEBHOOK_SECRET",
                "--Logging:LogLevel:Default", "Error",
            ],
            out string? usage)!;
        if (app is null)
        {
            Console.Error.WriteLine(usage);
            return 2;
        }

        await app.StartAsync();
        string root = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        int escalated = 0;
        var clock = Stopwatch.StartNew();

        async Task User(int index)
        {
            using var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(root), Timeout = TimeSpan.FromSeconds(60) };
            try
            {
                using HttpResponseMessage started = await client.PostAsync("/api/conversations", null);
                started.EnsureSuccessStatusCode();
                using JsonDocument id = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
                string conversation = id.RootElement.GetProperty("id").GetString()!;
                for (int turn = 0; turn < turns; turn++)
                {
                    // One user in ten says something that must escalate, once, mid-conversation.
                    string message = index % 10 == 0 && turn == turns / 2 ? Crisis : Ordinary[(index + turn) % Ordinary.Length];
                    var watch = Stopwatch.StartNew();
                    using var content = new StringContent(JsonSerializer.Serialize(new { message }), Encoding.UTF8, "application/json");
                    using HttpResponseMessage response = await client.PostAsync($"/api/conversations/{conversation}/messages", content);
                    string body = await response.Content.ReadAsStringAsync();
                    watch.Stop();
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors.Enqueue($"user {index} turn {turn}: HTTP {(int)response.StatusCode}");
                        continue;
                    }

                    using JsonDocument reply = JsonDocument.Parse(body);
                    if (reply.RootElement.GetProperty("escalation").ValueKind == JsonValueKind.Object)
                    {
                        Interlocked.Increment(ref escalated);
                    }

                    if (reply.RootElement.GetProperty("reply").GetString() is not { Length: > 0 })
                    {
                        errors.Enqueue($"user {index} turn {turn}: an empty reply");
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                errors.Enqueue($"user {index}: {ex.GetType().Name}");
            }
        }

        // Warm-up, not measured: ten users of three turns (the JIT, the connection pools, SQLite's first pages).
        int realTurns = turns;
        turns = 3;
        await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Task.Run(() => User((i * 10) + 1))));
        turns = realTurns;
        latencies.Clear();
        escalated = 0;
        delivered.Clear();
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, users).Select(i => Task.Run(() => User(i))));
        clock.Stop();

        // Every escalation the turns reported must reach the receiver.
        var waitForDelivery = Stopwatch.StartNew();
        while (delivered.Count < escalated && waitForDelivery.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(100);
        }

        double[] sorted = [.. latencies.Order()];
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine($"users {users} x turns {turns}: {sorted.Length:N0} turns in {clock.Elapsed.TotalSeconds:F1} s ({sorted.Length / clock.Elapsed.TotalSeconds:N0} turns/s)");
        Console.WriteLine($"turn latency ms: p50 {P(0.50):F1}, p90 {P(0.90):F1}, p99 {P(0.99):F1}, max {sorted[^1]:F1}");
        Console.WriteLine($"errors: {errors.Count}{(errors.IsEmpty ? string.Empty : " (first: " + errors.First() + ")")}");
        Console.WriteLine($"escalations: {escalated} raised, {delivered.Count} delivered to the webhook ({delivered.Values.Sum() - delivered.Count} duplicates, {badSignatures} bad signatures), after {waitForDelivery.Elapsed.TotalSeconds:F1} s more");
        await app.StopAsync();
        await app.DisposeAsync();
        await receiver.StopAsync();
        await receiver.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return errors.IsEmpty && delivered.Count == escalated && badSignatures == 0 ? 0 : 1;
    }

    private static string SampleRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EmpathyKit.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new InvalidOperationException("The repository root was not found."), "samples", "EmpathyKit.Samples.Web");
    }
}
