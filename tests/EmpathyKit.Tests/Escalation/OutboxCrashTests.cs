using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Webhooks;
using Xunit.Abstractions;

namespace EmpathyKit.Tests.Escalation;

/// <summary>
/// No escalation is lost: a host process raises crisis escalations into the SQLite outbox while the webhook receiver
/// is down, and is killed with SIGKILL with every delivery pending; a second host, started while the receiver is still
/// down, is killed too; the receiver comes back after a minute (<c>EMPATHYKIT_OUTBOX_DOWN_SECONDS</c> overrides), a
/// third host starts, and every escalation arrives, signed, with its idempotency key. Duplicates are counted (delivery
/// is at least once) and reported.
/// </summary>
public sealed class OutboxCrashTests : IDisposable
{
    private const int TurnsPerHost = 10;
    private readonly ITestOutputHelper _log;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "outbox-" + Guid.NewGuid().ToString("N"));

    public OutboxCrashTests(ITestOutputHelper log)
    {
        _log = log;
        Directory.CreateDirectory(_dir);
    }

    private static TimeSpan Downtime => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("EMPATHYKIT_OUTBOX_DOWN_SECONDS"), CultureInfo.InvariantCulture, out int s) && s >= 0 ? s : 60);

    [Fact]
    public async Task Every_escalation_is_delivered_after_the_receiver_was_down_and_the_hosts_were_killed()
    {
        string db = Path.Combine(_dir, "t.db");
        string key = Path.Combine(_dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        WebhookSecret secret = WebhookSecret.Generate();
        int port = FreePort();
        string endpoint = $"http://127.0.0.1:{port}/hook/";
        var down = Stopwatch.StartNew();

        // The receiver is down. For the first host nothing listens (connections refused); for the second the port
        // accepts connections and never answers, so the host is killed with calls in flight and their leases held.
        var raised = new List<string>();
        for (int host = 0; host < 2; host++)
        {
            using BlackHole? hole = host == 1 ? new BlackHole(port) : null;
            using var child = new Host(db, key, endpoint, secret.Export(), TurnsPerHost, host);
            raised.AddRange(await child.SentAsync());
            await Task.Delay(TimeSpan.FromMilliseconds(1500)); // failed runs on the first host, calls still waiting on the second
            child.Kill();
        }

        Assert.Equal(2 * TurnsPerHost, raised.Distinct().Count());
        var outbox = new SqliteEscalationStore(db);
        int tried = 0;
        foreach (string id in raised)
        {
            EscalationEntry pending = (await outbox.GetAsync(id))!;
            Assert.Equal(EscalationStatus.Queued, pending.Status); // nothing was delivered before the kills
            tried += pending.Deliveries[0].Attempts > 0 ? 1 : 0;
        }

        Assert.True(tried > 0, "no delivery was attempted while the receiver was down");
        TimeSpan left = Downtime - down.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        // The receiver comes back; a third host recovers the outbox.
        using var receiver = new Receiver(endpoint, secret);
        using var recovering = new Host(db, key, endpoint, secret.Export(), 0, 2);
        await recovering.SentAsync();
        var wanted = raised.Select(id => "esc_" + id).ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (!wanted.IsSubsetOf(receiver.ValidIds) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        string[] missing = [.. wanted.Except(receiver.ValidIds)];
        Assert.True(missing.Length == 0, $"{missing.Length} of {wanted.Count} escalations never arrived: {string.Join(", ", missing.Take(5))}");
        Assert.Equal(0, receiver.Invalid);
        int duplicates = receiver.Received - receiver.Invalid - receiver.ValidIds.Count;
        _log.WriteLine($"{wanted.Count} escalations raised by two killed hosts during {Downtime.TotalSeconds:0} s of receiver downtime; all delivered after recovery in {deadline.Elapsed.TotalSeconds:0.0} s, signed; {duplicates} duplicate deliveries (at least once).");

        recovering.Kill();
        foreach (string id in raised)
        {
            EscalationEntry entry = (await outbox.GetAsync(id))!;
            Assert.Equal(EscalationStatus.Delivered, entry.Status);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string WorkerPath() =>
        Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "tests", "EmpathyKit.CrashWorker", "bin"), "EmpathyKit.CrashWorker.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();

    /// <summary>One host process in the crash worker's outbox mode.</summary>
    private sealed class Host : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _ids = [];
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task<string> _errors;

        public Host(string db, string key, string endpoint, string secret, int turns, int run)
        {
            var start = new ProcessStartInfo("dotnet", [WorkerPath(), "outbox", db, key, endpoint, secret, turns.ToString(CultureInfo.InvariantCulture), run.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start)!;
            _errors = _process.StandardError.ReadToEndAsync();
            _ = Task.Run(async () =>
            {
                while (await _process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("esc ", StringComparison.Ordinal))
                    {
                        _ids.Add(line.Split(' ')[1]);
                    }
                    else if (line == "sent")
                    {
                        _sent.TrySetResult();
                    }
                }

                _sent.TrySetException(new InvalidOperationException("the host exited: " + await _errors));
            });
        }

        public async Task<IReadOnlyList<string>> SentAsync()
        {
            await _sent.Task.WaitAsync(TimeSpan.FromMinutes(2));
            return _ids;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // SIGKILL on Unix
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }

    /// <summary>A port that accepts connections and never answers (a receiver that hangs).</summary>
    private sealed class BlackHole : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly ConcurrentBag<TcpClient> _held = [];

        public BlackHole(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        _held.Add(await _listener.AcceptTcpClientAsync());
                    }
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    // stopped
                }
            });
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (TcpClient client in _held)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>A loopback webhook receiver that verifies every request and records its id.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly WebhookSecret _secret;
        private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
        private int _received;
        private int _invalid;

        public Receiver(string prefix, WebhookSecret secret)
        {
            _secret = secret;
            _listener.Prefixes.Add(prefix);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public IReadOnlySet<string> ValidIds => _ids.Keys.ToHashSet(StringComparer.Ordinal);

        public int Received => Volatile.Read(ref _received);

        public int Invalid => Volatile.Read(ref _invalid);

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                string? id = context.Request.Headers[StandardWebhooks.IdHeader];
                WebhookVerification verdict = StandardWebhooks.Verify(
                    id, context.Request.Headers[StandardWebhooks.TimestampHeader], context.Request.Headers[StandardWebhooks.SignatureHeader], body.ToArray(), [_secret], DateTimeOffset.UtcNow);
                Interlocked.Increment(ref _received);
                if (verdict == WebhookVerification.Valid && id is not null)
                {
                    _ids.AddOrUpdate(id, 1, (_, n) => n + 1);
                    context.Response.StatusCode = 204;
                }
                else
                {
                    Interlocked.Increment(ref _invalid);
                    context.Response.StatusCode = 400;
                }

                context.Response.Close();
            }
        }
    }
}
