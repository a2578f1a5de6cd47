using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// Durability under crashes: a child process appends to one SQLite transcript from several writers and acknowledges
/// each record once its receipt says it is durable; the test kills it with SIGKILL at a random moment (during start-up,
/// schema and key creation, or mid-append), many times over the same database. After every kill, every acknowledged
/// record must read back in order and the hash chains, checkpoints, records and audit log must verify.
/// </summary>
public sealed partial class CrashTests : IDisposable
{
    private const int Writers = 4;
    private readonly ITestOutputHelper _log;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public CrashTests(ITestOutputHelper log)
    {
        _log = log;
        Directory.CreateDirectory(_dir);
    }

    /// <summary>How many kills (<c>EMPATHYKIT_CRASH_RUNS</c> overrides the default of 30).</summary>
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("EMPATHYKIT_CRASH_RUNS"), CultureInfo.InvariantCulture, out int runs) && runs > 0 ? runs : 30;

    [Fact]
    public async Task Every_acknowledged_record_survives_SIGKILL_and_the_store_verifies()
    {
        string worker = Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "tests", "EmpathyKit.CrashWorker", "bin"), "EmpathyKit.CrashWorker.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        string db = Path.Combine(_dir, "crash.db");
        string key = Path.Combine(_dir, "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new List<string>[Writers];
        for (int w = 0; w < Writers; w++)
        {
            acknowledged[w] = [];
        }

        int killedMidAppend = 0;
        for (int run = 0; run < Runs; run++)
        {
            // Even runs die at any moment from process start (start-up, schema, key creation); odd runs mid-append.
            bool early = run % 2 == 0;
            TimeSpan delay = TimeSpan.FromMilliseconds(random.Next(early ? 0 : 20, early ? 400 : 300));
            List<string> lines = await RunAndKillAsync(worker, db, key, run, delay, afterReady: !early);
            int acks = 0;
            foreach (string line in lines)
            {
                if (AckLine().Match(line) is { Success: true } match)
                {
                    acknowledged[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)].Add(match.Groups[2].Value);
                    acks++;
                }
            }

            killedMidAppend += acks > 0 ? 1 : 0;
            await CheckAsync(db, key, acknowledged, $"seed {seed}, run {run}, killed after {delay.TotalMilliseconds} ms{(early ? " from start" : " from ready")}");
        }

        int total = acknowledged.Sum(a => a.Count);
        _log.WriteLine($"{Runs} kills (seed {seed}); {killedMidAppend} while appending; {total} acknowledged records, all read back and verified.");
        Assert.True(killedMidAppend >= Runs / 4, $"only {killedMidAppend} of {Runs} kills landed while appending: the test did not exercise the write path");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<List<string>> RunAndKillAsync(string worker, string db, string key, int run, TimeSpan delay, bool afterReady)
    {
        var start = new ProcessStartInfo("dotnet", [worker, db, key, run.ToString(CultureInfo.InvariantCulture), Writers.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        var lines = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Task reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                if (line == "ready")
                {
                    ready.TrySetResult();
                }
            }
        });

        if (afterReady)
        {
            Task first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(first == ready.Task, $"the worker did not start: {(process.HasExited ? await errors : "timed out")}");
        }

        await Task.Delay(delay);
        if (!process.HasExited)
        {
            process.Kill(); // SIGKILL on Unix: no finalizers, no flush, no dispose
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        await reader;
        Assert.True(process.ExitCode != 0 || (await errors).Length == 0, await errors); // it never ends on its own
        return lines;
    }

    private static async Task CheckAsync(string db, string key, List<string>[] acknowledged, string context)
    {
        if (!File.Exists(db))
        {
            Assert.All(acknowledged, a => Assert.Empty(a));
            return;
        }

        using var store = new SqliteTranscriptStore(db);
        using var root = new KeyFileTranscriptKeyProvider(key);
        await using var vault = new TranscriptVault(store, root, new TranscriptOptions(), TimeProvider.System, NullLogger.Instance);
        for (int w = 0; w < Writers; w++)
        {
            var address = new TranscriptAddress("crash", "subject-" + (w / 2), "conversation-" + w);
            List<string> stored = [.. (await vault.ReadAsync(address, int.MaxValue)).Select(e => e.Text)];
            var present = new HashSet<string>(stored, StringComparer.Ordinal);
            string? lost = acknowledged[w].FirstOrDefault(text => !present.Contains(text));
            Assert.True(lost is null, $"{context}: acknowledged record '{lost}' of writer {w} is missing ({stored.Count} stored, {acknowledged[w].Count} acknowledged)");
            Assert.True(
                stored.Select(Order).SequenceEqual(stored.Select(Order).Order()),
                $"{context}: writer {w}'s records are out of order");
        }

        IntegrityReport chains = await vault.VerifyIntegrityAsync(decrypt: true);
        Assert.True(chains.IsValid, $"{context}: {string.Join("; ", chains.Problems)}");
        IntegrityReport audit = await vault.VerifyAuditLogAsync();
        Assert.True(audit.IsValid, $"{context}: {string.Join("; ", audit.Problems)}");
        SqliteConnection.ClearAllPools();
    }

    private static (int Run, int N) Order(string text)
    {
        string[] parts = text.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[5], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^ack (\d+) (run \d+ writer \d+ n \d+) end$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex AckLine();
}
