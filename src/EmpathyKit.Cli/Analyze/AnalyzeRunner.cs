using System.Runtime.ExceptionServices;
using System.Text.Encodings.Web;
using System.Threading.Channels;
using System.Text.Json;

namespace EmpathyKit.Cli.Analyze;

/// <summary>
/// Implements the analyze contract of the evaluation README: JSONL in (<c>id</c> and <c>text</c> or <c>turns</c>),
/// JSONL out in input order with <c>redacted</c>, <c>entities</c>, <c>risk</c> and <c>sentiment</c>. No line stops the
/// run: a line that cannot be analysed yields <c>{"id":…,"error":"…"}</c> naming the problem (not valid UTF-8, not
/// JSON, a duplicate key, a string with an unpaired surrogate escape, a wrong type, both <c>text</c> and
/// <c>turns</c>, longer than <see cref="MaxLineBytes"/>) and the next line goes on. Blank lines are not inputs and are
/// skipped; a byte order mark at the start of the input is skipped.
/// </summary>
internal sealed class AnalyzeRunner
{
    /// <summary>The longest input line read, in bytes (1 MiB); a longer line is answered with an error and skipped.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Exit code: every line was analysed.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code: the run finished, and some lines were answered with an error.</summary>
    public const int ExitSomeLinesFailed = 1;

    /// <summary>Exit code: the run itself failed (the input could not be opened or read, or the output written).</summary>
    public const int ExitRunFailed = 2;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions ReaderOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private readonly Engines _engines;

    public AnalyzeRunner(Engines engines)
    {
        _engines = engines;
    }

    /// <summary>Processes every line of <paramref name="input"/>.</summary>
    /// <param name="input">JSONL input, UTF-8.</param>
    /// <param name="output">Where result lines go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns><see cref="ExitOk"/> when every line succeeded, <see cref="ExitSomeLinesFailed"/> when any line failed.</returns>
    /// <remarks>
    /// Lines are independent (each is redacted in its own scope, and nothing carries from one line to the next), so
    /// lines are analysed in batches, up to <see cref="Parallelism"/> batches at once, and results are written strictly
    /// in input order. A batch holds at most <see cref="BatchLines"/> lines or <see cref="BatchBytes"/> bytes, and ends
    /// early whenever the next line has not arrived yet, so a line piped in on its own is analysed straight away rather
    /// than waiting for company; results are written as soon as they are ready and flushed whenever the writer has caught
    /// up. At most twice <see cref="Parallelism"/> batches are read ahead of the one being written, which bounds memory
    /// whatever the input.
    /// </remarks>
    public async Task<int> RunAsync(Stream input, TextWriter output, CancellationToken cancellationToken)
    {
        var lines = new JsonLineReader(input, MaxLineBytes);
        var slots = new SemaphoreSlim(Parallelism, Parallelism);
        var batches = Channel.CreateBounded<Task<LineResult[]>>(new BoundedChannelOptions(2 * Parallelism) { SingleReader = true, SingleWriter = true });

        // The writer runs beside the reader, so a result is written (and, once nothing else is waiting, flushed) while
        // the reader waits for input that has not arrived yet.
        Task<bool> writing = WriteAllAsync(batches, output, cancellationToken);
        ExceptionDispatchInfo? readFailure = null;
        try
        {
            var batch = new List<JsonLineReader.Line>(BatchLines);
            int batchBytes = 0;
            while (await lines.ReadAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.Blank)
                {
                    batch.Add(line);
                    batchBytes += line.Bytes.Length;
                }

                if (batch.Count > 0 && (batch.Count >= BatchLines || batchBytes >= BatchBytes || !lines.NextLineBuffered))
                {
                    await batches.Writer.WriteAsync(AnalyzeBatchAsync(batch, slots, cancellationToken), cancellationToken).ConfigureAwait(false);
                    batch = new List<JsonLineReader.Line>(BatchLines);
                    batchBytes = 0;
                }
            }

            if (batch.Count > 0)
            {
                await batches.Writer.WriteAsync(AnalyzeBatchAsync(batch, slots, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException)
        {
            // The writer stopped; its own failure is the one thrown below.
        }
        catch (Exception ex)
        {
            readFailure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            batches.Writer.TryComplete();
        }

        // Every batch already read is written (or the writer's failure thrown) before a read failure is thrown.
        bool allOk = await writing.ConfigureAwait(false);
        readFailure?.Throw();
        return allOk ? ExitOk : ExitSomeLinesFailed;
    }

    private static async Task<bool> WriteAllAsync(Channel<Task<LineResult[]>> batches, TextWriter output, CancellationToken cancellationToken)
    {
        bool allOk = true;
        try
        {
            await foreach (Task<LineResult[]> batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (LineResult result in await batch.ConfigureAwait(false))
                {
                    await output.WriteLineAsync(result.Json.AsMemory(), cancellationToken).ConfigureAwait(false);
                    allOk &= result.Ok;
                }

                if (!batches.Reader.TryPeek(out _))
                {
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return allOk;
        }
        catch
        {
            // Stop the reader: nothing more can be written.
            batches.Writer.TryComplete();
            throw;
        }
    }

    /// <summary>How many batches of lines are analysed at once: the processor count (at least 1) unless set.</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>The most lines in one batch.</summary>
    public const int BatchLines = 64;

    /// <summary>A batch ends once it holds this many bytes (256 KiB).</summary>
    public const int BatchBytes = 256 * 1024;

    private async Task<LineResult[]> AnalyzeBatchAsync(List<JsonLineReader.Line> batch, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        if (Parallelism == 1)
        {
            // One at a time: on the reading thread, as there is nothing to overlap with.
            return await AnalyzeLinesAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Off the reading thread, so reading the next lines and analysing these overlap.
            return await Task.Run(() => AnalyzeLinesAsync(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<LineResult[]> AnalyzeLinesAsync(List<JsonLineReader.Line> batch, CancellationToken cancellationToken)
    {
        var results = new LineResult[batch.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = await AnalyzeLineCoreAsync(batch[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private async Task<LineResult> AnalyzeLineCoreAsync(JsonLineReader.Line line, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        bool ok;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            try
            {
                ok = await ProcessLineAsync(line, writer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever went wrong on this line stays on this line (content-free: the type, not the message).
                writer.Reset();
                buffer.SetLength(0);
                WriteError(writer, null, $"line {line.Number}: could not be analysed ({ex.GetType().Name})");
                ok = false;
            }
        }

        return new LineResult(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), ok);
    }

    private readonly record struct LineResult(string Json, bool Ok);

    private async Task<bool> ProcessLineAsync(JsonLineReader.Line line, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        int lineNumber = line.Number;
        if (line.TooLong)
        {
            WriteError(writer, null, $"line {lineNumber}: longer than {MaxLineBytes} bytes");
            return false;
        }

        if (!System.Text.Unicode.Utf8.IsValid(line.Bytes.Span))
        {
            WriteError(writer, null, $"line {lineNumber}: not valid UTF-8");
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.Bytes, ReaderOptions);
        }
        catch (JsonException ex)
        {
            string problem = ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? "a key appears twice" : $"not valid JSON ({ex.Message.Split('.')[0]})";
            WriteError(writer, null, $"line {lineNumber}: {problem}");
            return false;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                WriteError(writer, null, $"line {lineNumber}: expected a JSON object");
                return false;
            }

            JsonElement? id = root.TryGetProperty("id", out JsonElement idElement) ? idElement : null;
            if (id is { } given && !IsWritableId(given))
            {
                WriteError(writer, null, $"line {lineNumber}: \"id\" must be a string (without unpaired surrogates), a number or null");
                return false;
            }

            if (!TryReadTurns(root, out List<string> turns, out string? problem))
            {
                WriteError(writer, id, $"line {lineNumber}: {problem}");
                return false;
            }

            string text = turns[^1];
            var input = new CrisisInput(text, turns.GetRange(0, turns.Count - 1));
            // Each line is redacted on its own (placeholders numbered from 1), and its map is dropped straight away.
            string scope = $"analyze-line-{lineNumber}";
            RedactionResult redaction;
            try
            {
                redaction = await _engines.Redactor.RedactAsync(scope, text, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _engines.Redactor.Forget(scope);
            }

            CrisisAssessment risk = await _engines.Crisis.AssessAsync(input, cancellationToken).ConfigureAwait(false);
            SentimentResult sentiment = await _engines.Sentiment.AnalyzeAsync(text, cancellationToken).ConfigureAwait(false);
            writer.WriteStartObject();
            WriteId(writer, id);
            writer.WriteString("redacted", redaction.RedactedText);
            writer.WriteStartArray("entities");
            foreach (PiiEntity entity in redaction.Entities)
            {
                writer.WriteStartObject();
                writer.WriteString("type", entity.Type);
                writer.WriteNumber("start", entity.Start);
                writer.WriteNumber("end", entity.End);
                writer.WriteNumber("score", Math.Round(entity.Score, 3));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("risk");
            writer.WriteString("level", risk.Level.ToWireName());
            writer.WriteStartArray("categories");
            foreach (CrisisCategory category in risk.Categories)
            {
                writer.WriteStringValue(category.ToWireName());
            }

            writer.WriteEndArray();
            writer.WriteBoolean("escalate", risk.Level >= RiskLevel.High);
            writer.WriteStartArray("signals");
            foreach (string signal in risk.Signals)
            {
                writer.WriteStringValue(signal);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartObject("sentiment");
            writer.WriteNumber("valence", Math.Round(sentiment.Valence, 3));
            writer.WriteStartObject("emotions");
            foreach (KeyValuePair<Emotion, double> emotion in sentiment.Emotions.OrderByDescending(e => e.Value))
            {
                writer.WriteNumber(emotion.Key.ToWireName(), Math.Round(emotion.Value, 3));
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            return true;
        }
    }

    private static bool TryReadTurns(JsonElement root, out List<string> turns, out string? problem)
    {
        turns = [];
        problem = null;
        bool hasTurns = root.TryGetProperty("turns", out JsonElement turnsElement);
        bool hasText = root.TryGetProperty("text", out JsonElement textElement);
        if (hasTurns && hasText)
        {
            problem = "give \"text\" or \"turns\", not both";
            return false;
        }

        if (hasTurns)
        {
            if (turnsElement.ValueKind != JsonValueKind.Array || turnsElement.GetArrayLength() == 0)
            {
                problem = "\"turns\" must be a non-empty array of strings";
                return false;
            }

            foreach (JsonElement turn in turnsElement.EnumerateArray())
            {
                if (turn.ValueKind != JsonValueKind.String)
                {
                    problem = "\"turns\" must be a non-empty array of strings";
                    return false;
                }

                if (!TryGetString(turn, out string? value))
                {
                    problem = "a turn holds an unpaired UTF-16 surrogate escape";
                    return false;
                }

                turns.Add(value);
            }

            return true;
        }

        if (hasText)
        {
            if (textElement.ValueKind != JsonValueKind.String)
            {
                problem = "\"text\" must be a string";
                return false;
            }

            if (!TryGetString(textElement, out string? value))
            {
                problem = "\"text\" holds an unpaired UTF-16 surrogate escape";
                return false;
            }

            turns.Add(value);
            return true;
        }

        problem = "expected a \"text\" string or a \"turns\" array";
        return false;
    }

    /// <summary>Reads a JSON string; false when its escapes make an unpaired surrogate ("\ud800"), which no .NET string API accepts.</summary>
    private static bool TryGetString(JsonElement element, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    private static bool IsWritableId(JsonElement id) =>
        id.ValueKind is JsonValueKind.Number or JsonValueKind.Null || (id.ValueKind == JsonValueKind.String && TryGetString(id, out _));

    private static void WriteError(Utf8JsonWriter writer, JsonElement? id, string message)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement? id)
    {
        writer.WritePropertyName("id");
        if (id is { } value)
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
