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
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hi\nI want to kill myself\n");

        Assert.True(exit == 0, $"exit code {exit}: {errors}");
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
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        (int exit, string output, string errors) = await RunSampleAsync(
            dataDir,
            "I'm Maria Lopez and I can't sleep\n",
            [("EMPATHYKIT_TEST_KEY", "sk-from-env")],
            "--model", "fake-model", "--endpoint", server.BaseUrl.ToString(), "--api-key-env", "EMPATHYKIT_TEST_KEY");

        Assert.True(exit == 0, errors);
        Assert.Contains("That sounds exhausting. What has kept you up at night?", output, StringComparison.Ordinal);
        (string? auth, System.Text.Json.JsonDocument body) = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-from-env", auth);
        Assert.DoesNotContain("Maria", body.RootElement.GetRawText(), StringComparison.Ordinal);

        // With a model, the same model is asked for a crisis second opinion by default, redacted too.
        (_, System.Text.Json.JsonDocument secondOpinion) = Assert.Single(server.SecondOpinionRequests);
        Assert.DoesNotContain("Maria", secondOpinion.RootElement.GetRawText(), StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>A new data folder in which the sample has run once ("hi"), so its key and database exist.</summary>
    private static async Task<string> DataFolderAfterOneTurnAsync()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        (int first, _, string errors) = await RunSampleAsync(dataDir, "hi\n");
        Assert.True(first == 0, errors);
        return dataDir;
    }

    private static Task<(int Exit, string Output, string Errors)> RunSampleAsync(string dataDir, string input, params string[] args) =>
        RunSampleCoreAsync(dataDir, input, [], shellPrefix: null, args);

    private static Task<(int Exit, string Output, string Errors)> RunSampleAsync(string dataDir, string input, (string Name, string Value)[] environment, params string[] args) =>
        RunSampleCoreAsync(dataDir, input, environment, shellPrefix: null, args);

    /// <summary>
    /// Runs the console sample with its data folder, piped input, extra environment variables and arguments; with a
    /// shell prefix, through <c>bash -c "prefix dotnet …"</c> (resource limits for fault injection).
    /// </summary>
    private static async Task<(int Exit, string Output, string Errors)> RunSampleCoreAsync(string dataDir, string input, (string Name, string Value)[] environment, string? shellPrefix, params string[] args)
    {
        string dll = Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "samples", "EmpathyKit.Samples.Console", "bin"), "EmpathyKit.Samples.Console.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
        string program = shellPrefix is null ? "dotnet" : "bash";
        string[] arguments = shellPrefix is null ? [dll, .. args] : ["-c", $"{shellPrefix} dotnet \"$0\" \"$@\"", dll, .. args];
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[EmpathyKitPaths.DataDirectoryVariable] = dataDir;
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_deleted_key_beside_existing_data_stops_the_sample_with_the_recovery_path_and_no_new_key()
    {
        string dataDir = await DataFolderAfterOneTurnAsync();
        string key = Path.Combine(dataDir, "development.key");
        File.Delete(key);

        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hello again\n");
        Assert.Equal(2, exit);
        Assert.Contains("is missing", errors, StringComparison.Ordinal);
        Assert.Contains("Restore the key file", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("bot>", output, StringComparison.Ordinal);
        Assert.False(File.Exists(key), "a new key must not be created over existing data");
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_broken_database_is_said_plainly_on_every_turn_and_the_exit_code_says_so()
    {
        string dataDir = await DataFolderAfterOneTurnAsync();
        foreach (string file in Directory.GetFiles(dataDir, "console-sample.db*"))
        {
            await File.WriteAllBytesAsync(file, Encoding.ASCII.GetBytes(new string('x', 8192)));
        }

        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hi\nhow are you\n");
        Assert.Equal(3, exit);
        Assert.Equal(2, output.Split("bot>").Length - 1);
        Assert.Equal(2, errors.Split("this conversation is not being saved").Length - 1);
        Assert.Contains("were not saved", errors, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task The_sample_prints_its_conversation_id_and_resumes_it()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        (int first, _, string errors) = await RunSampleAsync(dataDir, "hi\n");
        Assert.True(first == 0, errors);
        string line = errors.Split('\n').First(l => l.StartsWith("Conversation: ", StringComparison.Ordinal));
        string id = line["Conversation: ".Length..].Split(' ')[0];
        Assert.StartsWith("console-", id, StringComparison.Ordinal);

        (int again, _, string resumed) = await RunSampleAsync(dataDir, "i'm back\n", "--conversation", id);
        Assert.True(again == 0, resumed);
        Assert.Contains($"Conversation: {id} (subject: {id}), resumed", resumed, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_damaged_message_is_read_around_with_a_warning_and_the_conversation_is_still_saved()
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
        (int first, _, string firstErrors) = await RunSampleAsync(dataDir, "I had a rough week\n");
        Assert.True(first == 0, firstErrors);
        string id = firstErrors.Split('\n').First(l => l.StartsWith("Conversation: ", StringComparison.Ordinal))["Conversation: ".Length..].Split(' ')[0];

        // Flip one byte of the first stored message.
        Assert.Equal(1, SqliteDamage.FlipPayloads(Path.Combine(dataDir, "console-sample.db"), sequence: 0));

        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "and today was worse\n", "--conversation", id);
        Assert.True(exit == 0, errors);
        Assert.Contains("1 earlier message(s) of this conversation are damaged in storage", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("not being saved", errors, StringComparison.Ordinal);
        Assert.Contains("bot>", output, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_replaced_key_stops_the_sample_with_the_recovery_path()
    {
        string dataDir = await DataFolderAfterOneTurnAsync();
        string key = Path.Combine(dataDir, "development.key");
        File.Delete(key);
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);

        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hello again\n");
        Assert.Equal(2, exit);
        Assert.Contains("does not open the transcript store", errors, StringComparison.Ordinal);
        Assert.Contains("Restore the key file", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("bot>", output, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_truncated_database_is_said_plainly_and_the_exit_code_says_so()
    {
        string dataDir = await DataFolderAfterOneTurnAsync();
        string db = Path.Combine(dataDir, "console-sample.db");
        await using (FileStream stream = File.Open(db, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(stream.Length / 2);
        }

        (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hi\nhow are you\n");
        Assert.True(exit is 2 or 3, $"exit {exit}: {errors}");
        if (exit == 3)
        {
            Assert.Equal(2, errors.Split("this conversation is not being saved").Length - 1);
            Assert.Equal(2, output.Split("bot>").Length - 1);
        }
        else
        {
            Assert.Contains("could not start", errors, StringComparison.Ordinal);
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_read_only_database_is_said_plainly_on_every_turn_and_the_exit_code_says_so()
    {
        string dataDir = await DataFolderAfterOneTurnAsync();
        string[] paths = [.. Directory.GetFiles(dataDir), dataDir];
        bool immutable = MakeReadOnly(paths);
        try
        {
            (int exit, string output, string errors) = await RunSampleAsync(dataDir, "hi\nhow are you\n");
            Assert.Equal(3, exit);
            Assert.Equal(2, output.Split("bot>").Length - 1);
            Assert.Equal(2, errors.Split("this conversation is not being saved").Length - 1);
            Assert.Contains("were not saved", errors, StringComparison.Ordinal);
        }
        finally
        {
            Undo(paths, immutable);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_full_disk_is_said_plainly_on_the_turns_that_were_lost()
    {
        // The process may write at most 100 KB per file (RLIMIT_FSIZE, with SIGXFSZ ignored, so writes fail with EFBIG
        // as on a full disk). The runtime's double-mapped code heap is a file too, so W^X is off for this run.
        string dataDir = await DataFolderAfterOneTurnAsync();
        string input = string.Concat(Enumerable.Range(0, 40).Select(i => $"message {i} about my week at work and how tired I feel\n"));
        (int exit, string output, string errors) = await RunSampleCoreAsync(
            dataDir,
            input,
            [("DOTNET_EnableWriteXorExecute", "0"), ("EmpathyKit__Transcripts__WriteRetries", "0")],
            shellPrefix: "trap '' XFSZ; ulimit -f 100; exec");
        Assert.Equal(3, exit);
        Assert.Equal(40, output.Split("bot>").Length - 1);
        int lost = errors.Split("this conversation is not being saved").Length - 1;
        Assert.InRange(lost, 1, 40);
        Assert.Contains($"{lost} turn(s) of conversation", errors, StringComparison.Ordinal);
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>Makes files unwritable: immutable when running as root (permissions do not bind root), read-only modes otherwise.</summary>
    private static bool MakeReadOnly(string[] paths)
    {
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
        {
            using Process chattr = Process.Start(new ProcessStartInfo("chattr", ["+i", .. paths]) { RedirectStandardError = true })!;
            string error = chattr.StandardError.ReadToEnd();
            chattr.WaitForExit();
            Assert.True(chattr.ExitCode == 0, $"chattr +i failed (the file system must support immutable files when tests run as root): {error}");
            return true;
        }

        foreach (string path in paths)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
            }
        }

        return false;
    }

    private static void Undo(string[] paths, bool immutable)
    {
        if (immutable)
        {
            using Process chattr = Process.Start(new ProcessStartInfo("chattr", ["-i", .. paths]))!;
            chattr.WaitForExit();
            return;
        }

        foreach (string path in paths)
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }
}
