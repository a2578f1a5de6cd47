using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace EmpathyKit.Benchmarks;

/// <summary>
/// <c>empathykit analyze</c> from a cold process (issue 15's target: at least 5,000 messages a second over 20,000
/// messages, start-up included). Each invocation starts the CLI's Release build as a new process over a file of distinct
/// lines built from the project's own crisis corpus (<c>data/crisis/pool</c>), so every run pays the runtime's start,
/// the engines' loading and the JIT. Messages a second is <see cref="Lines"/> over the mean.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class AnalyzeColdBenchmarks
{
    private string _cli = string.Empty;
    private string _input = string.Empty;
    private string _output = string.Empty;

    /// <summary>How many lines the input holds.</summary>
    [Params(1_000, 20_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot();
        string project = Path.Combine(root, "src", "EmpathyKit.Cli");
        Run("dotnet", $"build \"{project}\" -c Release -v quiet -nologo", root);
        _cli = Path.Combine(project, "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "EmpathyKit.Cli.exe" : "EmpathyKit.Cli");
        if (!File.Exists(_cli))
        {
            throw new InvalidOperationException($"The CLI build was not found at {_cli}.");
        }

        List<string> texts = [];
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "data", "crisis", "pool"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (string line in File.ReadLines(file))
            {
                using JsonDocument document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
                {
                    texts.Add(text.GetString()!);
                }
            }
        }

        _input = Path.Combine(Path.GetTempPath(), $"empathykit-analyze-{Lines}.jsonl");
        _output = Path.ChangeExtension(_input, ".out.jsonl");
        using var writer = new StreamWriter(_input);
        for (int i = 0; i < Lines; i++)
        {
            // Distinct lines: past the corpus's size, each text comes back with a different opening.
            string text = i < texts.Count ? texts[i] : $"Day {i / texts.Count}: {texts[i % texts.Count]}";
            writer.WriteLine(JsonSerializer.Serialize(new { id = i, text }));
        }
    }

    [Benchmark]
    public void Analyze() => Run(_cli, $"analyze --input \"{_input}\" --output \"{_output}\"", Path.GetDirectoryName(_cli)!);

    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_input);
        File.Delete(_output);
    }

    private static void Run(string fileName, string arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName, arguments) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {arguments} exited {process.ExitCode}: {errors}");
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EmpathyKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository (EmpathyKit.sln was not found above the build output).");
    }
}
