using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Pipeline;

public sealed class PipelineOrderTests
{
    private static readonly string[] BuiltInOrder =
    [
        PipelineStageNames.Transcript, PipelineStageNames.Control, PipelineStageNames.Escalation, PipelineStageNames.Crisis, PipelineStageNames.InputLimits,
        PipelineStageNames.Sentiment, PipelineStageNames.Redaction, PipelineStageNames.OutputGuard, PipelineStageNames.Disclaimer,
        PipelineStageNames.SystemPrompt,
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_turn_passes_every_stage_in_the_fixed_order(bool streaming)
    {
        using var host = new TestHost();
        TurnReport report = await Run(host.Pipeline, "I had a rough day at work", streaming);
        Assert.Equal(BuiltInOrder, report.Stages);
        Assert.Equal(1, host.Provider.Calls);
    }

    [Fact]
    public async Task Custom_stages_go_into_their_slots_whatever_the_registration_order()
    {
        var seen = new List<string>();
        using var host = new TestHost(configure: b => b
            .AddStage(StageSlot.BeforeProvider, (inner, _) => new RecordingStage(inner, "before_provider", seen))
            .AddStage(StageSlot.AfterRedaction, (inner, _) => new RecordingStage(inner, "after_redaction", seen))
            .AddStage(StageSlot.AfterEscalation, (inner, _) => new RecordingStage(inner, "after_escalation", seen)));
        TurnReport report = await Run(host.Pipeline, "hello there, my email is sam@example.com", streaming: false);
        Assert.Equal(["after_escalation", "after_redaction", "before_provider"], seen.Select(s => s.Split(':')[0]));
        // The stage after redaction sees only redacted text.
        Assert.Contains(seen, s => s.StartsWith("after_redaction:", StringComparison.Ordinal) && s.Contains("[EMAIL_1]", StringComparison.Ordinal) && !s.Contains("sam@example.com", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("after_escalation:", StringComparison.Ordinal) && s.Contains("sam@example.com", StringComparison.Ordinal));
        Assert.Equal(BuiltInOrder, report.Stages);
    }

    [Fact]
    public async Task Caller_options_and_messages_are_not_mutated()
    {
        using var host = new TestHost();
        var options = new ChatOptions { Temperature = 0.3f };
        var message = new ChatMessage(ChatRole.User, "my email is sam@example.com");
        ChatResponse response = await host.Pipeline.GetResponseAsync([message], options);
        Assert.Null(options.AdditionalProperties);
        Assert.Equal("my email is sam@example.com", message.Text);
        Assert.NotNull(response.GetTurnReport());
    }

    internal static async Task<TurnReport> Run(IChatClient pipeline, string text, bool streaming)
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, text) };
        if (!streaming)
        {
            ChatResponse response = await pipeline.GetResponseAsync(messages);
            return response.GetTurnReport() ?? throw new InvalidOperationException("no report");
        }

        TurnReport? report = null;
        await foreach (ChatResponseUpdate update in pipeline.GetStreamingResponseAsync(messages))
        {
            report ??= update.GetTurnReport();
        }

        return report ?? throw new InvalidOperationException("no report on the stream");
    }

    private sealed class RecordingStage(IChatClient inner, string name, List<string> seen) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            seen.Add(name + ":" + string.Join("|", messages.Select(m => m.Text)));
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
