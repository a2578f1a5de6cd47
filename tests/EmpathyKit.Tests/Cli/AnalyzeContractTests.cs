using System.Text.Json;
using EmpathyKit.Cli;
using EmpathyKit.Cli.Analyze;

namespace EmpathyKit.Tests.Cli;

public sealed class AnalyzeContractTests
{
    private static async Task<(int Exit, List<JsonElement> Lines)> Run(string input)
    {
        var output = new StringWriter();
        int exit = await new AnalyzeRunner(new Engines()).RunAsync(new StringReader(input), output, CancellationToken.None);
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
}
