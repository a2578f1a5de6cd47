using System.Text;
using EmpathyKit.Guard;
using EmpathyKit.Prompting;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Pipeline;

/// <summary>
/// A redactor swapped in with <c>UsePiiRedactor</c> that writes placeholders of its own (<c>&lt;&lt;PERSON#1&gt;&gt;</c>):
/// the stages around it recognise them because the format is part of the redactor's contract.
/// </summary>
public sealed class CustomPlaceholderFormatTests
{
    private const string Message = "My sister Maria keeps calling me and I feel overwhelmed.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_custom_format_is_redacted_and_its_placeholders_rehydrated(bool streaming)
    {
        using TestHost host = Host(_ => "It sounds like <<PERSON#1>> matters a lot to you. What has it been like with <<PERSON#1>>?");

        (string text, TurnReport report) = await RunAsync(host, [new(ChatRole.User, Message)], streaming);

        string sent = host.Provider.Requests[^1][^1].Text;
        Assert.Contains("<<PERSON#1>>", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", sent, StringComparison.Ordinal);
        Assert.StartsWith("It sounds like Maria matters a lot to you. What has it been like with Maria?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<<", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(redacted)", text, StringComparison.Ordinal);
        Assert.True(report.Guard!.Passed);
        Assert.StartsWith("It sounds like <<PERSON#1>> matters a lot to you. What has it been like with <<PERSON#1>>?", report.RedactedReply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_placeholder_the_model_invented_in_the_custom_format_is_a_leak_the_guard_catches(bool streaming)
    {
        using TestHost host = Host(_ => "Is <<PERSON#7>> your brother?");

        (string text, TurnReport report) = await RunAsync(host, [new(ChatRole.User, Message)], streaming);

        Assert.Contains(GuardViolations.LeakedPlaceholder, report.Guard!.Violations);
        Assert.Equal(ReplySource.GuardReplacement, report.ReplySource);
        Assert.DoesNotContain("<<", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_custom_placeholder_the_redactor_cannot_restore_is_removed(bool streaming)
    {
        // <<PERSON#2>> is in the history the model was given (so the guard lets it pass), but this redactor has no value
        // for it: the user sees a neutral marker, not redaction syntax.
        using TestHost host = Host(_ => "You mentioned <<PERSON#2>> earlier.");
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "I had a fight with <<PERSON#2>> yesterday."),
            new(ChatRole.Assistant, "That sounds painful. What happened?"),
            new(ChatRole.User, Message),
        ];

        (string text, TurnReport report) = await RunAsync(host, messages, streaming);

        Assert.True(report.Guard!.Passed);
        Assert.StartsWith("You mentioned (redacted) earlier.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<<", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_prompt_shows_the_model_the_redactors_placeholders()
    {
        using TestHost host = Host(_ => "That sounds like a lot. What has been hardest?");

        await RunAsync(host, [new(ChatRole.User, Message)], streaming: false);

        string prompt = host.Provider.Requests[^1][0].Text;
        Assert.Contains("- Text such as <<PERSON#1>> stands for a private detail: use it exactly as written and never invent new ones.", prompt, StringComparison.Ordinal);
        Assert.EndsWith("details written like <<PERSON#1>> stay exactly as written.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("[PERSON_1]", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_prompt_still_describes_the_built_in_placeholders()
    {
        string prompt = SystemPromptBuilder.Build(new TurnReport(), new PromptOptions(), 2, "hi");

        Assert.Contains("- Text in square brackets such as [PERSON_1] stands for a private detail: use it exactly as written and never invent new ones.\n", prompt.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.EndsWith("you are an AI, and details in square brackets stay exactly as written.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_guard_checks_placeholders_in_the_format_it_is_given()
    {
        var guard = new PatternOutputGuard();
        var known = new HashSet<string> { "<<PERSON#1>>" };
        var context = new GuardContext(3, RiskLevel.None, null, known) { PlaceholderFormat = AnglePlaceholderFormat.Instance };

        Assert.True(guard.Check("Say hello to <<PERSON#1>> for me.", context).Passed);
        Assert.Contains(GuardViolations.LeakedPlaceholder, guard.Check("Is <<PERSON#2>> your brother?", context).Violations);
        // Without a format the context means the built-in one, as before.
        Assert.Contains(GuardViolations.LeakedPlaceholder, guard.Check("Is [PERSON_2] your brother?", context with { PlaceholderFormat = null }).Violations);
    }

    [Fact]
    public void A_redactor_written_before_the_format_was_part_of_the_contract_uses_the_built_in_one()
    {
        IPiiRedactor redactor = new RedactorWithoutFormat();

        Assert.Same(PiiPlaceholderFormat.Default, redactor.PlaceholderFormat);
    }

    private static TestHost Host(Func<IReadOnlyList<ChatMessage>, string> reply) =>
        new(new FakeChatClient(reply, chunkSize: 3), configure: b => b.UsePiiRedactor(_ => new AnglePlaceholderRedactor()));

    private static async Task<(string Text, TurnReport Report)> RunAsync(TestHost host, List<ChatMessage> messages, bool streaming)
    {
        var options = new ChatOptions { ConversationId = "custom-placeholders" };
        if (!streaming)
        {
            ChatResponse response = await host.Pipeline.GetResponseAsync(messages, options);
            return (response.Text, response.GetTurnReport()!);
        }

        var builder = new StringBuilder();
        TurnReport? report = null;
        await foreach (ChatResponseUpdate update in host.Pipeline.GetStreamingResponseAsync(messages, options))
        {
            builder.Append(update.Text);
            report ??= update.GetTurnReport();
        }

        return (builder.ToString(), report!);
    }

    /// <summary>A redactor that does not override <see cref="IPiiRedactor.PlaceholderFormat"/>.</summary>
    private sealed class RedactorWithoutFormat : IPiiRedactor
    {
        public ValueTask<RedactionResult> RedactAsync(string conversationId, string text, CancellationToken cancellationToken = default) =>
            new(new RedactionResult(text, []));

        public string Rehydrate(string conversationId, string text) => text;
    }
}
