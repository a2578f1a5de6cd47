using System.Diagnostics;
using System.Text;
using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Chat;

/// <summary>Runs the console sample as a person would, with piped input, and inspects what it leaves on disk.</summary>
public sealed class ConsoleSampleEndToEndTests
{
    [Fact]
    public async Task Piped_chat_gives_a_disclosure_then_a_crisis_reply_and_leaves_only_ciphertext()
    {
        string dll = Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "samples", "EmpathyKit.Samples.Console", "bin"), "EmpathyKit.Samples.Console.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[EmpathyKitPaths.DataDirectoryVariable] = dataDir;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync("hi\nI want to kill myself\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        string errors = await stderr;

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {errors}");
        Assert.Contains("AI support companion", output, StringComparison.Ordinal);
        Assert.Contains("988", output, StringComparison.Ordinal);
        Assert.Contains("911", output, StringComparison.Ordinal);
        Assert.Contains("DEVELOPMENT key", errors, StringComparison.Ordinal);

        string[] files = Directory.GetFiles(dataDir, "console-sample.db*");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string raw = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain("kill myself", raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hi\n", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("glad you're here", raw, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "development.key")));
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task With_model_and_endpoint_the_sample_talks_to_an_OpenAI_compatible_server_and_sends_redacted_text()
    {
        await using OpenAI.FakeOpenAIServer server = await OpenAI.FakeOpenAIServer.StartAsync();
        server.ThenJson("That sounds exhausting. What has kept you up at night?");
        string dll = Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "samples", "EmpathyKit.Samples.Console", "bin"), "EmpathyKit.Samples.Console.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", [dll, "--model", "fake-model", "--endpoint", server.BaseUrl.ToString(), "--api-key-env", "EMPATHYKIT_TEST_KEY"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[EmpathyKitPaths.DataDirectoryVariable] = dataDir;
        start.Environment["EMPATHYKIT_TEST_KEY"] = "sk-from-env";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync("I'm Maria Lopez and I can't sleep\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("That sounds exhausting. What has kept you up at night?", output, StringComparison.Ordinal);
        (string? auth, System.Text.Json.JsonDocument body) = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-from-env", auth);
        Assert.DoesNotContain("Maria", body.RootElement.GetRawText(), StringComparison.Ordinal);

        // With a model, the same model is asked for a crisis second opinion by default, redacted too.
        (_, System.Text.Json.JsonDocument secondOpinion) = Assert.Single(server.SecondOpinionRequests);
        Assert.DoesNotContain("Maria", secondOpinion.RootElement.GetRawText(), StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }
}
