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

    /// <summary>The pause after each record in the two-process test, in milliseconds.</summary>
    private const int PausePerRecordMs = 2;
    private readonly ITestOutputHelper _log;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "empathykit-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public CrashTests(ITestOutputHelper log)
    {
        _log = log;
        Directory.CreateDirectory(_dir);
        KeyFileTranscriptKeyProvider.CreateKeyFile(KeyPath);
    }

    /// <summary>The root key file both tests' workers and checks share.</summary>
    private string KeyPath => Path.Combine(_dir, "root.key");

    /// <summary>How many kills (<c>EMPATHYKIT_CRASH_RUNS</c> overrides the default of 30).</summary>
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("EMPATHYKIT_CRASH_RUNS"), CultureInfo.InvariantCulture, out int runs) && runs > 0 ? runs : 30;

    [Fact]
    public async Task Every_acknowledged_record_survives_SIGKILL_and_the_store_verifies()
    {
        string worker = WorkerPath();
        string db = Path.Combine(_dir, "crash.db");
        string key = KeyPath;
        int seed = Environment.TickCount;
        var random = new Random(seed);
        List<string>[] acknowledged = [.. Enumerable.Range(0, Writers).Select(_ => new List<string>())];

        int killedMidAppend = 0;
        for (int run = 0; run < Runs; run++)
        {
            // Even runs die at any moment from process start (start-up, schema, key creation); odd runs mid-append: the
            // delay starts at the first acknowledged record, so a slow start on a loaded machine cannot turn them into
            // start-up kills.
            bool early = run % 2 == 0;
            TimeSpan delay = TimeSpan.FromMilliseconds(random.Next(early ? 0 : 5, early ? 400 : 250));
            List<string> lines = await RunAndKillAsync(worker, db, key, run, delay, afterFirstRecord: !early);
            int acks = Record(lines, acknowledged);
            killedMidAppend += acks > 0 ? 1 : 0;
            await CheckAsync(db, key, acknowledged, $"seed {seed}, run {run}, killed after {delay.TotalMilliseconds} ms{(early ? " from start" : " from the first record")}");
        }

        int total = acknowledged.Sum(a => a.Count);
        _log.WriteLine($"{Runs} kills (seed {seed}); {killedMidAppend} while appending; {total} acknowledged records, all read back and verified.");
        Assert.True(killedMidAppend >= Runs / 4, $"only {killedMidAppend} of {Runs} kills landed while appending: the test did not exercise the write path");
    }

    [Fact]
    public async Task Two_processes_append_to_the_same_conversations_and_both_survive_SIGKILL()
    {
        string worker = WorkerPath();
        string db = Path.Combine(_dir, "shared.db");
        string key = KeyPath;
        int seed = Environment.TickCount;
        var random = new Random(seed);
        List<string>[] acknowledged = [.. Enumerable.Range(0, Writers).Select(_ => new List<string>())];

        var perProcess = new List<int>();
        for (int round = 0; round < 6; round++)
        {
            // Two processes, the same writers, the same conversations and subject keys, one database file.
            // Each writer pauses 2 ms after each record (see the worker): unpaced, SQLite's unfair lock could let one
            // process hold the write lock for a whole round, and the test would not exercise two writing processes.
            using var first = new Worker(worker, db, key, 2 * round, PausePerRecordMs);
            await first.ReadyAsync(); // the first creates the schema and the keys; the second races it for everything after
            using var second = new Worker(worker, db, key, (2 * round) + 1, PausePerRecordMs);
            await second.ReadyAsync();
            // Both must be writing when the kill lands: each has to win SQLite's write lock at least once, within the
            // 30 s its busy handler waits (a process that cannot is starved, and that fails the test).
            await Task.WhenAll(first.FirstRecordAsync(), second.FirstRecordAsync());
            await Task.Delay(random.Next(50, 300));
            List<string>[] outputs = await Task.WhenAll(first.KillAsync(), second.KillAsync());
            perProcess.AddRange(outputs.Select(lines => Record(lines, acknowledged)));

            await CheckAsync(db, key, acknowledged, $"seed {seed}, round {round}", runsInSequence: false);
        }

        _log.WriteLine($"6 rounds of 2 processes (seed {seed}); acknowledged per process: {string.Join(", ", perProcess)}.");
        // SQLite does not queue writers fairly, so one process may win a whole short round; over the rounds both must write.
        Assert.True(perProcess.Where((_, i) => i % 2 == 0).Sum() > 0 && perProcess.Where((_, i) => i % 2 == 1).Sum() > 0, "one of the processes never wrote: they did not contend");
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

    private static async Task<List<string>> RunAndKillAsync(string worker, string db, string key, int run, TimeSpan delay, bool afterFirstRecord)
    {
        using var child = new Worker(worker, db, key, run);
        if (afterFirstRecord)
        {
            await child.FirstRecordAsync();
        }

        await Task.Delay(delay);
        return await child.KillAsync();
    }

    private static async Task CheckAsync(string db, string key, List<string>[] acknowledged, string context, bool runsInSequence = true)
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
            // Each process appends a writer's records in order; processes that ran one after another also in run order.
            Assert.True(
                stored.Select(Order).GroupBy(o => o.Run).All(g => g.Select(o => o.N).SequenceEqual(g.Select(o => o.N).Order())),
                $"{context}: writer {w}'s records are out of order within a run");
            Assert.True(
                !runsInSequence || stored.Select(Order).SequenceEqual(stored.Select(Order).Order()),
                $"{context}: writer {w}'s records are out of run order");
        }

        IntegrityReport chains = await vault.VerifyIntegrityAsync(decrypt: true);
        Assert.True(chains.IsValid, $"{context}: {string.Join("; ", chains.Problems)}");
        IntegrityReport audit = await vault.VerifyAuditLogAsync();
        Assert.True(audit.IsValid, $"{context}: {string.Join("; ", audit.Problems)}");
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Adds a worker's acknowledged records to each writer's list; returns how many there were.</summary>
    private static int Record(List<string> lines, List<string>[] acknowledged)
    {
        int acks = 0;
        foreach (Match match in lines.Select(l => AckLine().Match(l)).Where(m => m.Success))
        {
            acknowledged[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)].Add(match.Groups[2].Value);
            acks++;
        }

        return acks;
    }

    private static (int Run, int N) Order(string text)
    {
        string[] parts = text.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[5], CultureInfo.InvariantCulture));
    }

    private static string WorkerPath() =>
        Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "tests", "EmpathyKit.CrashWorker", "bin"), "EmpathyKit.CrashWorker.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();

    [GeneratedRegex(@"^ack (\d+) (run \d+ writer \d+ n \d+) end$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex AckLine();

    /// <summary>One worker process: its output lines, its "ready", and SIGKILL.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstRecord = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task<string> _errors;
        private readonly Task _reader;

        public Worker(string worker, string db, string key, int run, int pauseMs = 0)
        {
            var start = new ProcessStartInfo("dotnet", [worker, db, key, run.ToString(CultureInfo.InvariantCulture), Writers.ToString(CultureInfo.InvariantCulture), pauseMs.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start)!;
            _errors = _process.StandardError.ReadToEndAsync();
            _reader = Task.Run(async () =>
            {
                while (await _process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (_lines)
                    {
                        _lines.Add(line);
                    }

                    if (line == "ready")
                    {
                        _ready.TrySetResult();
                    }
                    else if (line.StartsWith("ack ", StringComparison.Ordinal))
                    {
                        _firstRecord.TrySetResult();
                    }
                }
            });
        }

        public Task ReadyAsync() => WaitForAsync(_ready.Task, "the worker did not start");

        /// <summary>Waits until the worker has acknowledged its first durable record (at most 60 s).</summary>
        public Task FirstRecordAsync() => WaitForAsync(_firstRecord.Task, "the worker wrote no record");

        /// <summary>Waits up to 60 s for a line the worker prints; fails with its standard error if it exits first.</summary>
        private async Task WaitForAsync(Task signal, string failure)
        {
            Task first = await Task.WhenAny(signal, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(first == signal, $"{failure}: {(_process.HasExited ? await _errors : "timed out after 60 s")}");
        }

        /// <summary>Kills the worker with SIGKILL (on Unix: no finalizers, no flush, no dispose) and returns what it printed.</summary>
        public async Task<List<string>> KillAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            await _reader;
            string errors = await _errors;
            Assert.True(errors.Length == 0, $"the worker failed: {errors}");
            lock (_lines)
            {
                return [.. _lines];
            }
        }

        public void Dispose() => _process.Dispose();
    }
}
