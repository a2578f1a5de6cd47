using System.Text;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Pipeline;

/// <summary>For each stage, the streaming and non-streaming paths produce the same text and the same decisions.</summary>
public sealed class StreamingParityTests
{
    public static TheoryData<string> Stages => new()
    {
        PipelineStageNames.Transcript, PipelineStageNames.Escalation, PipelineStageNames.Crisis, PipelineStageNames.InputLimits,
        PipelineStageNames.Sentiment, PipelineStageNames.Redaction, PipelineStageNames.OutputGuard, PipelineStageNames.Disclaimer,
        PipelineStageNames.SystemPrompt,
    };

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Stage_behaves_the_same_streaming_and_not(string stage)
    {
        (string userText, Func<IReadOnlyList<ChatMessage>, string> reply, Action<TestHost, TurnReport, string> check) = Scenario(stage);
        for (int chunk = 1; chunk <= 11; chunk += 5)
        {
            using var plain = new TestHost(new FakeChatClient(reply, chunk), options: o => o.MaxMessageLength = 200);
            using var streamed = new TestHost(new FakeChatClient(reply, chunk), options: o => o.MaxMessageLength = 200);
            (string plainText, TurnReport plainReport) = await RunAsync(plain, userText, streaming: false);
            (string streamedText, TurnReport streamedReport) = await RunAsync(streamed, userText, streaming: true);

            Assert.Equal(plainText, streamedText);
            Assert.Equal(plainReport.ReplySource, streamedReport.ReplySource);
            Assert.Equal(plainReport.Crisis?.Level, streamedReport.Crisis?.Level);
            Assert.Equal(plainReport.Guard?.Violations ?? [], streamedReport.Guard?.Violations ?? []);
            Assert.Equal(plainReport.Disclaimers.Select(d => d.Kind), streamedReport.Disclaimers.Select(d => d.Kind));
            Assert.Equal(plainReport.Escalation?.Status, streamedReport.Escalation?.Status);
            Assert.Equal(plainReport.Stages, streamedReport.Stages);
            Assert.Equal(plainReport.RedactedReply, streamedReport.RedactedReply);
            Assert.Equal(plainReport.Sentiment?.Valence, streamedReport.Sentiment?.Valence);
            check(plain, plainReport, plainText);
            check(streamed, streamedReport, streamedText);
            IReadOnlyList<TranscriptEntry> plainEntries = await plain.Transcripts.ReadAsync(plainReport.ConversationId!, 10);
            IReadOnlyList<TranscriptEntry> streamedEntries = await streamed.Transcripts.ReadAsync(streamedReport.ConversationId!, 10);
            Assert.Equal(plainEntries.Select(e => (e.Role, e.Text, e.Risk)), streamedEntries.Select(e => (e.Role, e.Text, e.Risk)));
        }
    }

    private static (string User, Func<IReadOnlyList<ChatMessage>, string> Reply, Action<TestHost, TurnReport, string> Check) Scenario(string stage) => stage switch
    {
        PipelineStageNames.Transcript => ("I feel a bit low today", _ => "That sounds hard. What happened?", (host, report, _) =>
        {
            Assert.True(report.TranscriptWritten);
            host.Transcripts.FlushAsync().AsTask().GetAwaiter().GetResult();
            Assert.Equal(2, host.Store.Count);
        }),
        PipelineStageNames.Escalation => ("I'm going to kill myself tonight", _ => "unused", (host, report, _) =>
        {
            Assert.NotNull(report.Escalation);
            Assert.Equal(EscalationStatus.Queued, report.Escalation!.Status); // in the outbox (the test host has no channel)
        }),
        PipelineStageNames.Crisis => ("I want to end my life", _ => "unused", (host, report, text) =>
        {
            Assert.Equal(0, host.Provider.Calls);
            Assert.Equal(ReplySource.CrisisResponse, report.ReplySource);
            Assert.Contains("116 123", text, StringComparison.Ordinal);
            Assert.Contains("999", text, StringComparison.Ordinal);
        }),
        PipelineStageNames.InputLimits => (new string('a', 150) + " " + new string('b', 100), _ => "unused", (host, report, text) =>
        {
            Assert.Equal(0, host.Provider.Calls);
            Assert.Equal(ReplySource.InputLimit, report.ReplySource);
            Assert.Contains("200", text, StringComparison.Ordinal);
        }),
        PipelineStageNames.Sentiment => ("Nobody cares about me and I don't see the point anymore", _ => "I'm here with you. What's been happening?", (_, report, _) =>
        {
            Assert.NotNull(report.Sentiment);
            Assert.True(report.Sentiment!.Valence < -0.3);
        }),
        PipelineStageNames.Redaction => ("You can reach me at maria.lopez@example.org", messages => "Thanks, I noted [EMAIL_1] for later. How are you?", (host, report, text) =>
        {
            Assert.Contains("maria.lopez@example.org", text, StringComparison.Ordinal);
            Assert.DoesNotContain("[EMAIL_1]", text, StringComparison.Ordinal);
            Assert.All(host.Provider.Requests.SelectMany(r => r), m => Assert.DoesNotContain("maria.lopez@example.org", m.Text, StringComparison.Ordinal));
            Assert.Contains("[EMAIL_1]", report.RedactedReply!, StringComparison.Ordinal);
        }),
        PipelineStageNames.OutputGuard => ("I can't sleep at all", _ => "I'm sorry you're struggling. You could take 50 mg of something to sleep. Let me know.", (_, report, text) =>
        {
            Assert.Equal(ReplySource.GuardReplacement, report.ReplySource);
            Assert.Contains(GuardViolations.MedicationDose, report.Guard!.Violations);
            Assert.DoesNotContain("50 mg", text, StringComparison.Ordinal);
            Assert.StartsWith("I'm sorry you're struggling. ", text, StringComparison.Ordinal);
            Assert.Contains("AI support companion", text, StringComparison.Ordinal);
        }),
        PipelineStageNames.Disclaimer => ("hello", _ => "Hi there. How are you feeling?", (_, report, text) =>
        {
            Assert.Contains(report.Disclaimers, d => d.Kind == DisclaimerKinds.AiDisclosure);
            Assert.EndsWith(report.Disclaimers[^1].Text, text, StringComparison.Ordinal);
        }),
        PipelineStageNames.SystemPrompt => ("I'm so sad today", messages =>
        {
            Assert.Equal(ChatRole.System, messages[0].Role);
            Assert.Contains("sadness", messages[0].Text, StringComparison.Ordinal);
            return "That sounds heavy. What has today been like?";
        }, (_, report, text) => Assert.StartsWith("That sounds heavy.", text, StringComparison.Ordinal)),
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    private static async Task<(string Text, TurnReport Report)> RunAsync(TestHost host, string text, bool streaming)
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, text) };
        var options = new ChatOptions { ConversationId = "parity-conversation" };
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
}
