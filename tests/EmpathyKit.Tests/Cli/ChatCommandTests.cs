using EmpathyKit.Cli.Chat;
using EmpathyKit.Tests.OpenAI;

namespace EmpathyKit.Tests.Cli;

/// <summary><c>empathykit chat</c> offline and against a fake OpenAI-compatible server.</summary>
public sealed class ChatCommandTests
{
    [Fact]
    public async Task Offline_chat_answers_each_line_and_reports_labels_only()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await ChatCommand.RunAsync(
            new ChatCommand.Settings(null, null, "OPENAI_API_KEY", Report: true, Country: "GB"),
            new StringReader("hello\nI feel so alone since my divorce\n/quit\nnever read\n"),
            output,
            error,
            CancellationToken.None);

        Assert.Equal(0, exit);
        string[] replies = output.ToString().Split("bot> ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, replies.Length);
        Assert.Contains("divorce", replies[1], StringComparison.Ordinal);
        string report = error.ToString();
        Assert.Contains("empathy 6/6", report, StringComparison.Ordinal);
        Assert.Contains("loneliness", report, StringComparison.Ordinal);
        Assert.DoesNotContain("divorce", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_model_the_chat_streams_from_the_server()
    {
        await using FakeOpenAIServer server = await FakeOpenAIServer.StartAsync();
        server.ThenStream("That sounds ", "really lonely. ", "What do the evenings feel like?");
        var output = new StringWriter();

        int exit = await ChatCommand.RunAsync(
            new ChatCommand.Settings("fake-model", server.BaseUrl, "EMPATHYKIT_TEST_UNSET_KEY", Report: false, Country: null),
            new StringReader("I feel so alone since my divorce\n"),
            output,
            new StringWriter(),
            CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("That sounds really lonely. What do the evenings feel like?", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_without_a_model_is_a_usage_error()
    {
        var error = new StringWriter();

        int exit = await ChatCommand.RunAsync(new ChatCommand.Settings(null, new Uri("http://localhost:1/v1"), "K", false, null), new StringReader(string.Empty), new StringWriter(), error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("--endpoint needs --model", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAI_without_a_key_is_a_clear_configuration_error()
    {
        var error = new StringWriter();

        int exit = await ChatCommand.RunAsync(new ChatCommand.Settings("gpt-test", null, "EMPATHYKIT_TEST_UNSET_KEY", false, null), new StringReader("hi\n"), new StringWriter(), error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("No API key", error.ToString(), StringComparison.Ordinal);
    }
}
