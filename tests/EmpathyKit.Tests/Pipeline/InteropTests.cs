using System.Runtime.CompilerServices;
using System.Text.Json;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Pipeline;

/// <summary>
/// The pipeline used as other Microsoft.Extensions.AI software uses an <see cref="IChatClient"/>: tool calls through a
/// <see cref="FunctionInvokingChatClient"/> around it, per-request instructions, a conversation id on the options, and
/// the client's metadata.
/// </summary>
public sealed class InteropTests
{
    private const string Email = "maria.lopez@example.org";
    private const string Phone = "07700 900123";

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task A_tool_call_runs_once_with_the_users_value_and_its_result_reaches_the_model_redacted(bool streaming, bool withConversationId)
    {
        var model = new ToolCallingModel();
        using var host = new TestHost(options: o => o.MaxMessageLength = 2_000, configure: b => b.UseChatClient(model));
        int toolRuns = 0;
        string? toolArgument = null;
        AIFunction lookup = AIFunctionFactory.Create(
            (string email) =>
            {
                toolRuns++;
                toolArgument = email;
                return $"Account for {email}: phone {Phone}, renewal due in May.";
            },
            "find_account",
            "Finds the user's account by e-mail.");
        using IChatClient client = new ChatClientBuilder(host.Pipeline).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [lookup], ConversationId = withConversationId ? "conv-tools-" + streaming : null };
        ChatMessage[] messages = [new(ChatRole.User, $"Could you check when my plan renews? My email is {Email}.")];

        ChatResponse response = streaming
            ? await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await client.GetResponseAsync(messages, options);

        // The tool ran once, with the user's real value (the model only ever saw a placeholder).
        Assert.Equal(1, toolRuns);
        Assert.Equal(Email, toolArgument);
        Assert.Equal(2, model.Requests.Count);
        Assert.DoesNotContain(Email, Serialized(model.Requests[0]), StringComparison.Ordinal);

        // Its result reached the model redacted.
        FunctionResultContent result = model.Requests[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        string sent = Assert.IsType<string>(result.Result);
        Assert.DoesNotContain(Email, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, sent, StringComparison.Ordinal);
        Assert.Contains("[EMAIL_1]", sent, StringComparison.Ordinal);
        Assert.Contains("renewal due in May", sent, StringComparison.Ordinal);

        // No disclaimer on the tool-call turn; the final text carries the first turn's disclosure once.
        ChatMessage call = response.Messages.First(m => m.Contents.OfType<FunctionCallContent>().Any());
        Assert.True(string.IsNullOrEmpty(call.Text));
        Assert.Equal(1, CountOf(response.Text, "I'm an AI"));
        Assert.Contains("Your plan renews in May", response.Text, StringComparison.Ordinal);

        // The transcript holds the user's message once and the final reply once, in one conversation: the options' id,
        // or the one the pipeline gave the turn (the tool-calling client clears the id between its calls; the call's
        // mark carries it).
        TurnReport? report = response.GetTurnReport() ?? response.Messages[^1].GetTurnReport();
        Assert.NotNull(report);
        string conversation = options.ConversationId ?? report!.ConversationId!;
        Assert.Equal(conversation, report!.ConversationId);
        await host.Transcripts.FlushAsync();
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync(conversation, 10);
        Assert.Equal([TranscriptRole.User, TranscriptRole.Assistant], entries.Select(e => e.Role));
        Assert.DoesNotContain(Email, entries[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_instructions_come_after_the_safety_prompt_and_are_redacted(bool streaming)
    {
        using var host = new TestHost();
        var options = new ChatOptions { Instructions = $"You are helping the customer whose email is {Email}. Keep it brief." };
        ChatMessage[] messages = [new(ChatRole.User, "I had a long day at work.")];

        _ = streaming
            ? await host.Pipeline.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await host.Pipeline.GetResponseAsync(messages, options);

        IReadOnlyList<ChatMessage> request = host.Provider.Requests.Single();
        Assert.Null(host.Provider.Options.Single()?.Instructions);
        string prompt = request[0].Text;
        Assert.Equal(ChatRole.System, request[0].Role);
        int boundaries = prompt.IndexOf("Safety boundaries", StringComparison.Ordinal);
        int instructions = prompt.IndexOf("Keep it brief.", StringComparison.Ordinal);
        int restated = prompt.LastIndexOf("Remember: the safety boundaries above always apply", StringComparison.Ordinal);
        Assert.True(boundaries >= 0 && boundaries < instructions && instructions < restated);
        Assert.DoesNotContain(Email, prompt, StringComparison.Ordinal);
        Assert.Contains("[EMAIL_1]", prompt, StringComparison.Ordinal);
        Assert.Equal("You are helping the customer whose email is " + Email + ". Keep it brief.", options.Instructions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_conversation_id_on_the_options_is_the_transcripts_and_the_report_rides_on_the_last_message(bool streaming)
    {
        using var host = new TestHost();
        var options = new ChatOptions { ConversationId = "conv-from-options" };
        ChatMessage[] messages = [new(ChatRole.User, "I feel a bit low today")];

        ChatResponse response = streaming
            ? await host.Pipeline.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await host.Pipeline.GetResponseAsync(messages, options);

        TurnReport? report = streaming ? response.GetTurnReport() ?? response.Messages[^1].GetTurnReport() : response.Messages[^1].GetTurnReport();
        Assert.NotNull(report);
        Assert.Equal("conv-from-options", report!.ConversationId);
        await host.Transcripts.FlushAsync();
        Assert.Equal(2, (await host.Transcripts.ReadAsync("conv-from-options", 10)).Count);
    }

    [Fact]
    public async Task A_complete_reply_has_its_text_in_one_content_however_the_stages_pieced_it()
    {
        // The guard passes a reply a sentence at a time and the disclaimer adds its own; a host that reads a message's
        // first text content (Semantic Kernel) must see all of it.
        using var host = new TestHost(new FakeChatClient("That sounds hard. When did it start? I'm here to listen.", chunkSize: 4));
        ChatResponse response = await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I feel a bit low today")]);

        TextContent text = Assert.Single(response.Messages[^1].Contents.OfType<TextContent>());
        Assert.StartsWith("That sounds hard. When did it start? I'm here to listen.", text.Text, StringComparison.Ordinal);
        Assert.Equal(response.Text, text.Text);
    }

    [Fact]
    public void The_pipeline_answers_for_its_metadata_with_any_provider()
    {
        using (var offline = new TestHost(configure: b => b.UseOfflineResponder()))
        {
            Assert.Equal("empathykit-offline", offline.Pipeline.GetService<ChatClientMetadata>()?.ProviderName);
        }

        // A provider that says nothing of itself (the test fake) still gives a pipeline with metadata.
        using var host = new TestHost();
        Assert.Equal("empathykit", host.Pipeline.GetService<ChatClientMetadata>()?.ProviderName);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Serialized(IReadOnlyList<ChatMessage> messages) => JsonSerializer.Serialize(messages, AIJsonUtilities.DefaultOptions);

    /// <summary>
    /// A model that asks for <c>find_account</c> with the first e-mail placeholder it sees, and once it has the tool's
    /// result answers in text. Records what it was sent.
    /// </summary>
    private sealed class ToolCallingModel : IChatClient
    {
        public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(Answer(messages)) { FinishReason = Finish });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ChatMessage answer = Answer(messages);
            foreach (AIContent content in answer.Contents)
            {
                await Task.Yield();
                if (content is TextContent text)
                {
                    for (int i = 0; i < text.Text.Length; i += 9)
                    {
                        yield return new ChatResponseUpdate(ChatRole.Assistant, text.Text.Substring(i, Math.Min(9, text.Text.Length - i)));
                    }
                }
                else
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [content]);
                }
            }

            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = Finish };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        private ChatFinishReason Finish { get; set; } = ChatFinishReason.Stop;

        private ChatMessage Answer(IEnumerable<ChatMessage> messages)
        {
            List<ChatMessage> list = [.. messages];
            Requests.Add(list);
            if (!list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any())
            {
                Finish = ChatFinishReason.ToolCalls;
                string user = list.Last(m => m.Role == ChatRole.User).Text;
                int start = user.IndexOf("[EMAIL_", StringComparison.Ordinal);
                string placeholder = start >= 0 ? user[start..(user.IndexOf(']', start) + 1)] : "none";
                return new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "find_account", new Dictionary<string, object?> { ["email"] = placeholder })]);
            }

            Finish = ChatFinishReason.Stop;
            return new ChatMessage(ChatRole.Assistant, "Your plan renews in May. How are you feeling about it?");
        }
    }
}
