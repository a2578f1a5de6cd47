using EmpathyKit.SemanticKernel;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace EmpathyKit.Tests.SemanticKernel;

/// <summary>The pipeline as a real Kernel's chat service: replies, the report in Metadata, one conversation per id, crisis.</summary>
public sealed class KernelChatServiceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"));
    private readonly InMemoryTranscriptStore _store = new();
    private readonly List<EscalationEvent> _escalations = [];

    public KernelChatServiceTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task A_prompt_goes_through_the_pipeline_redacted_and_its_report_is_in_the_metadata()
    {
        var model = new FakeChatClient("Thank you for telling me. What has been hardest?");
        Kernel kernel = Build(model);

        FunctionResult result = await kernel.InvokePromptAsync("My name is Sarah Jones and I feel so alone since the divorce", new KernelArguments(EmpathyKitKernel.ForConversation("c-sk-1")));

        // The whole reply, not only its first sentence: Semantic Kernel reads a message's first text content.
        Assert.StartsWith("Thank you for telling me. What has been hardest?\n\n", result.GetValue<string>(), StringComparison.Ordinal);
        string sent = string.Join("\n", model.Requests.Single().Select(m => m.Text));
        Assert.DoesNotContain("Sarah", sent, StringComparison.Ordinal);
        TurnReport? report = result.GetTurnReport();
        Assert.NotNull(report);
        Assert.Equal("c-sk-1", report!.ConversationId);
        Assert.NotNull(result.GetValue<ChatMessageContent>()!.GetTurnReport());
    }

    [Fact]
    public async Task A_streamed_prompt_carries_the_report_on_its_last_update()
    {
        Kernel kernel = Build(new FakeChatClient("That sounds really hard. What happened?"));
        var texts = new List<string>();
        TurnReport? report = null;
        await foreach (StreamingChatMessageContent update in kernel.InvokePromptStreamingAsync<StreamingChatMessageContent>("I feel so alone", new KernelArguments(EmpathyKitKernel.ForConversation("c-sk-stream"))))
        {
            texts.Add(update.Content ?? string.Empty);
            report ??= update.GetTurnReport();
        }

        Assert.StartsWith("That sounds really hard. What happened?", string.Concat(texts), StringComparison.Ordinal);
        Assert.Equal("c-sk-stream", report?.ConversationId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Calls_with_one_conversation_id_are_one_transcript_conversation(bool inArguments)
    {
        var model = new FakeChatClient("I'm here. Tell me more.");
        Kernel kernel = Build(model);
        const string conversation = "c-sk-kept";
        KernelArguments Arguments() => inArguments ? new KernelArguments { [EmpathyKitKernel.ConversationIdKey] = conversation } : new KernelArguments(EmpathyKitKernel.ForConversation(conversation));

        FunctionResult first = await kernel.InvokePromptAsync("I had a rough day at work", Arguments());
        Assert.Equal(conversation, first.GetTurnReport()?.ConversationId);
        await kernel.InvokePromptAsync("My manager shouted at me again", Arguments());

        // A prompt sends only its own text: the earlier turn is read back from the transcript, once.
        Assert.Equal(
            ["I had a rough day at work", "My manager shouted at me again"],
            model.Requests[^1].Where(m => m.Role == Microsoft.Extensions.AI.ChatRole.User).Select(m => m.Text));

        IReadOnlyList<TranscriptEntry> entries = await kernel.Services.GetRequiredKeyedService<ITranscriptLog>(EmpathyKitServiceCollectionExtensions.DefaultName).ReadAsync(conversation, 10);
        Assert.Equal(4, entries.Count);
    }

    [Fact]
    public async Task Without_a_conversation_id_each_call_is_its_own_conversation()
    {
        Kernel kernel = Build(new FakeChatClient("I'm here."));
        FunctionResult first = await kernel.InvokePromptAsync("I had a rough day");
        FunctionResult second = await kernel.InvokePromptAsync("It got worse");
        Assert.NotEqual(first.GetTurnReport()!.ConversationId, second.GetTurnReport()!.ConversationId);
    }

    [Fact]
    public async Task A_crisis_message_is_answered_with_the_crisis_reply_without_a_model_call_and_escalates_once()
    {
        var model = new FakeChatClient("Let's talk about something else.");
        Kernel kernel = Build(model);

        FunctionResult result = await kernel.InvokePromptAsync("I have the pills in front of me and I'm going to take them all tonight", new KernelArguments(EmpathyKitKernel.ForConversation("c-sk-crisis")));

        Assert.Equal(0, model.Calls);
        Assert.Contains("116 123", result.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(_escalations);
        Assert.True(result.GetTurnReport()!.Crisis!.Level >= RiskLevel.High);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Kernel Build(FakeChatClient model)
    {
        string key = Path.Combine(_directory, "test.key");
        if (!File.Exists(key))
        {
            KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        }

        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddLogging();
        builder.AddEmpathyKit(ek => ek
            .Configure(o =>
            {
                o.Country = "GB";
                o.Crisis.ModelSecondOpinion = false;
            })
            .UseChatClient(model)
            .UseTranscriptStore(_ => _store)
            .UseKeyFile(key)
            .AddEscalationHandler(_ => new RecordingEscalationHandler(_escalations)));
        return builder.Build();
    }
}
