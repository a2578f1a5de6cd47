using System.Text.Json;
using EmpathyKit.Cli;
using EmpathyKit.Cli.Analyze;

namespace EmpathyKit.Tests.Cli;

public sealed class AnalyzeContractTests
{
    private static async Task<(int Exit, List<JsonElement> Lines)> Run(string input)
    {
        var output = new StringWriter();
        int exit = await new AnalyzeRunner(new Engines()).RunAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input)), output, CancellationToken.None);
        List<JsonElement> lines = [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        return (exit, lines);
    }

    [Fact]
    public async Task Writes_one_line_per_input_in_order_with_the_contract_fields()
    {
        (int exit, List<JsonElement> lines) = await Run(
            "{\"id\":\"c0009\",\"text\":\"Email me at jo@example.com, I want to end my life.\"}\n" +
            "{\"id\":2,\"turns\":[\"I'm worthless\",\"where can I get a gun today\"],\"extra\":true}\n");
        Assert.Equal(0, exit);
        Assert.Equal(2, lines.Count);
        JsonElement first = lines[0];
        Assert.Equal("c0009", first.GetProperty("id").GetString());
        Assert.Equal("Email me at [EMAIL_1], I want to end my life.", first.GetProperty("redacted").GetString());
        JsonElement entity = first.GetProperty("entities")[0];
        Assert.Equal("EMAIL", entity.GetProperty("type").GetString());
        Assert.Equal(12, entity.GetProperty("start").GetInt32());
        Assert.Equal(26, entity.GetProperty("end").GetInt32());
        Assert.True(entity.GetProperty("score").GetDouble() > 0);
        JsonElement risk = first.GetProperty("risk");
        Assert.Equal("high", risk.GetProperty("level").GetString());
        Assert.True(risk.GetProperty("escalate").GetBoolean());
        Assert.Equal("suicidal", risk.GetProperty("categories")[0].GetString());
        Assert.Contains("active_ideation", risk.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.True(first.GetProperty("sentiment").GetProperty("valence").GetDouble() < 0);
        Assert.Equal(JsonValueKind.Object, first.GetProperty("sentiment").GetProperty("emotions").ValueKind);

        Assert.Equal(2, lines[1].GetProperty("id").GetInt32());
        Assert.Equal("where can I get a gun today", lines[1].GetProperty("redacted").GetString());
        Assert.True(lines[1].GetProperty("risk").GetProperty("escalate").GetBoolean());
    }

    [Fact]
    public async Task Malformed_lines_get_error_lines_and_processing_continues()
    {
        (int exit, List<JsonElement> lines) = await Run(
            "{\"id\":\"a\",\"text\":\"hello\"}\nnot json\n[1,2]\n{\"id\":\"b\"}\n{\"id\":\"c\",\"turns\":[]}\n{\"id\":\"d\",\"text\":5}\n\n{\"id\":\"e\",\"text\":\"bye\"}\n");
        Assert.Equal(1, exit);
        Assert.Equal(["a", null, null, "b", "c", "d", "e"], lines.Select(l => l.GetProperty("id").ValueKind == JsonValueKind.Null ? null : l.GetProperty("id").GetString()));
        Assert.False(lines[0].TryGetProperty("error", out _));
        Assert.All(lines.Skip(1).Take(5), l => Assert.False(string.IsNullOrEmpty(l.GetProperty("error").GetString())));
        Assert.False(lines[6].TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Empty_input_succeeds_with_no_output()
    {
        (int exit, List<JsonElement> lines) = await Run(string.Empty);
        Assert.Equal(0, exit);
        Assert.Empty(lines);
    }

    private static async Task<(int Exit, List<JsonElement> Lines)> RunBytes(byte[] input)
    {
        var output = new StringWriter();
        int exit = await new AnalyzeRunner(new Engines()).RunAsync(new MemoryStream(input), output, CancellationToken.None);
        List<JsonElement> lines = [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        return (exit, lines);
    }

    [Fact]
    public async Task No_line_stops_the_run_and_each_problem_is_named()
    {
        byte[] input = [
            .. "\uFEFF{\"id\":1,\"text\":\"hi\"}\n"u8,
            .. "{\"id\":2,\"text\":\"abc\\ud800\"}\n"u8,
            .. "{\"id\":\"x\\ud800\",\"text\":\"a\"}\n"u8,
            .. "{\"id\":4,\"turns\":[\"hi\"],\"text\":\"kill myself\"}\n"u8,
            .. "{\"id\":5,\"text\":\"a\",\"text\":\"b\"}\n"u8,
            .. "{\"id\":6,\"text\":\"caf"u8, 0xC3, .. "\"}\n"u8,
            .. "{\"id\":7,\"turns\":[\"ok\",\"abc\\udc00x\"]}\n"u8,
            .. "{\"id\":[1],\"text\":\"a\"}\n"u8,
            .. "\r\n"u8,
            .. "{\"id\":10,\"text\":\"I want to kill myself\"}\r\n"u8,
        ];
        (int exit, List<JsonElement> lines) = await RunBytes(input);
        Assert.Equal(AnalyzeRunner.ExitSomeLinesFailed, exit);
        Assert.Equal(9, lines.Count);
        Assert.Equal("none", lines[0].GetProperty("risk").GetProperty("level").GetString());
        string[] expected = ["unpaired UTF-16 surrogate", "\"id\" must be", "not both", "a key appears twice", "not valid UTF-8", "unpaired UTF-16 surrogate", "\"id\" must be"];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Contains(expected[i], lines[i + 1].GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(10, lines[8].GetProperty("id").GetInt32());
        Assert.True(lines[8].GetProperty("risk").GetProperty("escalate").GetBoolean());
    }

    [Fact]
    public async Task A_line_over_the_limit_is_answered_with_an_error_and_the_next_line_goes_on()
    {
        byte[] big = new byte[AnalyzeRunner.MaxLineBytes + 10];
        Array.Fill(big, (byte)'a');
        byte[] input = [.. "{\"id\":1,\"text\":\""u8, .. big, .. "\"}\n{\"id\":2,\"text\":\"hello\"}\n"u8];
        (int exit, List<JsonElement> lines) = await RunBytes(input);
        Assert.Equal(AnalyzeRunner.ExitSomeLinesFailed, exit);
        Assert.Equal(2, lines.Count);
        Assert.Contains("longer than", lines[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, lines[1].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_hundred_thousand_generated_hostile_lines_are_each_answered_in_order()
    {
        // Shapes from the outside test: lone surrogates, invalid UTF-8, BOMs mid-stream, wrong types, duplicate keys,
        // both text and turns, deep nesting, control characters, repetition; one line in eight is an ordinary message.
        var random = new Random(20261201);
        var input = new MemoryStream();
        var expectError = new List<bool>();
        const int count = 100_000;
        for (int i = 0; i < count; i++)
        {
            byte[] line = (i % 8) switch
            {
                0 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\"day {i}: work was long and I feel tired\"}}"),
                1 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\"x\\ud8{random.Next(0, 100):00}\"}}"),
                2 => [.. System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\""), (byte)random.Next(0x80, 0x100), .. "\"}"u8],
                3 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":{random.Next()}}}"),
                4 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"id\":{i},\"text\":\"a\"}}"),
                5 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\"a\",\"turns\":[\"b\"]}}"),
                6 => System.Text.Encoding.UTF8.GetBytes(new string('[', 40) + new string(']', 40)),
                _ => [.. "\uFEFF"u8, .. System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\"a\"}}")],
            };
            input.Write(line);
            input.WriteByte((byte)'\n');
            expectError.Add(i % 8 != 0);
        }

        input.Position = 0;
        var output = new StringWriter();
        int exit = await new AnalyzeRunner(new Engines()).RunAsync(input, output, CancellationToken.None);
        Assert.Equal(AnalyzeRunner.ExitSomeLinesFailed, exit);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        for (int i = 0; i < count; i++)
        {
            using JsonDocument answer = JsonDocument.Parse(lines[i]);
            JsonElement root = answer.RootElement;
            bool error = root.TryGetProperty("error", out JsonElement message);
            Assert.True(error == expectError[i], $"line {i + 1}: {lines[i]}");
            if (error)
            {
                Assert.StartsWith($"line {i + 1}:", message.GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(i, root.GetProperty("id").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Parallel_batches_write_exactly_the_sequential_output_in_input_order()
    {
        // Mixed lines (ordinary, risk, PII, errors, blank, one over the limit) in a count that is not a multiple of a batch.
        var random = new Random(7);
        var input = new MemoryStream();
        string[] texts =
        [
            "work was long and I feel tired", "I want to end my life tonight", "call me on 07700 900123, I'm Sam Lee",
            "I took the bus to work", "I have the pills in front of me", "my boss shouted at me again",
        ];
        for (int i = 0; i < 1_337; i++)
        {
            byte[] line = (random.Next(12)) switch
            {
                0 => "not json"u8.ToArray(),
                1 => [],
                2 => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"turns\":[\"{texts[i % texts.Length]}\",\"{texts[(i + 1) % texts.Length]}\"]}}"),
                _ => System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"text\":\"{i}: {texts[i % texts.Length]}\"}}"),
            };
            input.Write(line);
            input.WriteByte((byte)'\n');
            if (i == 700)
            {
                input.Write(new byte[AnalyzeRunner.MaxLineBytes + 1]);
                input.WriteByte((byte)'\n');
            }
        }

        byte[] bytes = input.ToArray();
        var engines = new Engines();
        var sequential = new StringWriter();
        int sequentialExit = await new AnalyzeRunner(engines) { Parallelism = 1 }.RunAsync(new MemoryStream(bytes), sequential, CancellationToken.None);
        var parallel = new StringWriter();
        int parallelExit = await new AnalyzeRunner(engines) { Parallelism = 8 }.RunAsync(new MemoryStream(bytes), parallel, CancellationToken.None);
        Assert.Equal(AnalyzeRunner.ExitSomeLinesFailed, sequentialExit);
        Assert.Equal(sequentialExit, parallelExit);
        Assert.Equal(sequential.ToString(), parallel.ToString());
        Assert.Contains("longer than", parallel.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_is_answered_while_the_input_is_still_open()
    {
        // A batch ends when the next line has not arrived, so one piped line is analysed without waiting for more input.
        var input = new HeldOpenStream("{\"id\":1,\"text\":\"I have the pills in front of me\"}\n"u8.ToArray());
        var output = new SignallingWriter();
        Task<int> run = new AnalyzeRunner(new Engines()).RunAsync(input, output, CancellationToken.None);
        string first = await output.FirstLine.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.False(run.IsCompleted);
        Assert.Contains("\"escalate\":true", first, StringComparison.Ordinal);
        input.End();
        Assert.Equal(AnalyzeRunner.ExitOk, await run);
    }

    /// <summary>Serves its bytes, then waits (as a pipe does) until <see cref="End"/>.</summary>
    private sealed class HeldOpenStream(byte[] first) : Stream
    {
        private readonly TaskCompletionSource _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _served;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void End() => _end.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_served)
            {
                _served = true;
                first.CopyTo(buffer);
                return first.Length;
            }

            await _end.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class SignallingWriter : StringWriter
    {
        public TaskCompletionSource<string> FirstLine { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            FirstLine.TrySetResult(buffer.ToString());
            return base.WriteLineAsync(buffer, cancellationToken);
        }
    }
}
