using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmpathyKit.Cli.Analyze;

/// <summary>
/// Implements the analyze contract of the evaluation README: JSONL in (<c>id</c> and <c>text</c> or <c>turns</c>),
/// JSONL out in input order with <c>redacted</c>, <c>entities</c>, <c>risk</c> and <c>sentiment</c>; a malformed line
/// yields <c>{"id":…,"error":"…"}</c> and processing continues. Blank lines are not inputs and are skipped.
/// </summary>
internal sealed class AnalyzeRunner
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Engines _engines;

    public AnalyzeRunner(Engines engines)
    {
        _engines = engines;
    }

    /// <summary>Processes every line of <paramref name="input"/>.</summary>
    /// <param name="input">JSONL input.</param>
    /// <param name="output">Where result lines go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>0 when every line succeeded, 1 when any line failed.</returns>
    public async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        int lineNumber = 0;
        bool anyFailed = false;
        using var buffer = new MemoryStream();
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                anyFailed |= !await ProcessLineAsync(line, lineNumber, writer, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return anyFailed ? 1 : 0;
    }

    private async Task<bool> ProcessLineAsync(string line, int lineNumber, Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            WriteError(writer, null, $"line {lineNumber}: not valid JSON ({ex.Message.Split('.')[0]})");
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
            if (!TryReadTurns(root, out List<string> turns, out string? problem))
            {
                WriteError(writer, id, $"line {lineNumber}: {problem}");
                return false;
            }

            string text = turns[^1];
            var input = new CrisisInput(text, turns.GetRange(0, turns.Count - 1));
            RedactionResult redaction = await _engines.Redactor.RedactAsync($"analyze-line-{lineNumber}", text, cancellationToken).ConfigureAwait(false);
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
        if (root.TryGetProperty("turns", out JsonElement turnsElement))
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

                turns.Add(turn.GetString()!);
            }

            return true;
        }

        if (root.TryGetProperty("text", out JsonElement textElement))
        {
            if (textElement.ValueKind != JsonValueKind.String)
            {
                problem = "\"text\" must be a string";
                return false;
            }

            turns.Add(textElement.GetString()!);
            return true;
        }

        problem = "expected a \"text\" string or a \"turns\" array";
        return false;
    }

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
