using System.Text;
using System.Text.Json;
using EmpathyKit.Crisis;
using EmpathyKit.Pipeline;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Tests.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace EmpathyKit.Tests.Crisis;

/// <summary>The second opinion through the whole pipeline: registration, the default model second opinion, redaction, outcomes.</summary>
public sealed class SecondOpinionTests
{
    private const string ClassifierMarker = "crisis-risk classifier";
    private const string ProviderReply = "That sounds heavy. What has today been like?";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_higher_risk_wins_and_the_model_sees_only_redacted_text(bool streaming)
    {
        var moderation = new FakeChatClient("{\"level\":\"high\",\"categories\":[\"suicidal\"]}");
        var received = new List<EscalationEvent>();
        using var host = new TestHost(configure: b => b
            .UseCrisisDetector(_ => new FixedDetector(CrisisAssessment.NoRisk))
            .AddCrisisSecondOpinionFromModel(_ => moderation)
            .AddEscalationHandler(_ => new RecordingHandler(received)));
        (string text, SupportReply reply) = await SendAsync(host, "c-second", "I'm Maria, mail maria@example.com, everything feels grey lately", streaming);

        Assert.Equal(RiskLevel.High, reply.Risk.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, reply.Risk.Signals);
        Assert.Equal(ReplySource.CrisisResponse, reply.Report.ReplySource);
        Assert.Contains("116 123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hardest part", text, StringComparison.Ordinal);
        Assert.True(reply.HumanAlerted);
        Assert.Single(received);
        string sent = string.Join("\n", moderation.Requests.Single().Select(m => m.Text));
        Assert.DoesNotContain("maria@example.com", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", sent[sent.IndexOf("I'm", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // The transcript keeps the crisis reply the user saw, not the discarded provider reply.
        await host.Transcripts.FlushAsync();
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync("c-second", 10);
        Assert.Equal(2, entries.Count);
        Assert.Contains("116 123", entries[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hardest part", entries[1].Text, StringComparison.Ordinal);
        Assert.Equal(RiskLevel.High, entries[1].Risk);
    }

    [Fact]
    public async Task A_lower_second_opinion_never_lowers_the_risk()
    {
        var moderation = new FakeChatClient("{\"level\":\"none\",\"categories\":[]}");
        using var host = new TestHost(configure: b => b.AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply reply = await host.Chat.SendAsync("c-second-low", "I want to kill myself");
        Assert.Equal(RiskLevel.High, reply.Risk.Level);
        Assert.Equal(ReplySource.CrisisResponse, reply.Report.ReplySource);

        // The built-in short-circuit answers at once: the second opinion is not even asked.
        Assert.Equal(0, moderation.Calls);

        var moderate = new CrisisAssessment(RiskLevel.Moderate, [CrisisCategory.Suicidal], ["passive_ideation"]);
        using var below = new TestHost(configure: b => b
            .UseCrisisDetector(_ => new FixedDetector(moderate))
            .AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply kept = await below.Chat.SendAsync("c-second-low-2", "some days I wish I could disappear");
        Assert.Equal(1, moderation.Calls);
        Assert.Equal(RiskLevel.Moderate, kept.Risk.Level);
        Assert.DoesNotContain(CrisisSecondOpinion.Signal, kept.Risk.Signals);
        Assert.Equal(ReplySource.Provider, kept.Report.ReplySource);
    }

    [Fact]
    public async Task A_failing_second_opinion_leaves_the_built_in_assessment()
    {
        var moderation = new FakeChatClient("not json at all");
        using var host = new TestHost(configure: b => b.AddCrisisSecondOpinionFromModel(_ => moderation));
        SupportReply reply = await host.Chat.SendAsync("c-second-bad", "I had an okay day");
        Assert.Equal(RiskLevel.None, reply.Risk.Level);
        Assert.Contains(CrisisSecondOpinion.UnavailableSignal, reply.Risk.Signals);
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
        Assert.Equal(1, moderation.Calls);
        Assert.Equal(1, host.Provider.Calls);
    }

    [Fact]
    public async Task A_slow_second_opinion_times_out()
    {
        // Real time on purpose: this detector ignores its cancellation token, so only the stage's own bound stops the wait.
        using var host = new TestHost(
            configure: b => b.AddCrisisSecondOpinion(_ => new SlowDetector()),
            options: o => o.Crisis.SecondOpinionTimeout = TimeSpan.FromMilliseconds(60));
        SupportReply reply = await host.Chat.SendAsync("c-second-slow", "I had an okay day");
        Assert.Contains(CrisisSecondOpinion.UnavailableSignal, reply.Risk.Signals);
        Assert.Equal(RiskLevel.None, reply.Risk.Level);
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
        Assert.StartsWith("Thank you for sharing that.", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_model_set_with_UseChatClient_is_the_second_opinion_by_default(bool streaming)
    {
        var model = new FakeChatClient(messages => IsClassifierRequest(messages) ? "{\"level\":\"moderate\",\"categories\":[\"distress\"]}" : ProviderReply);
        using var outcomes = new OutcomeRecorder();
        using var host = new TestHost(model, configure: b => b.UseCrisisDetector(_ => new FixedDetector(CrisisAssessment.NoRisk)), modelSecondOpinion: true);
        Assert.IsType<ChatClientCrisisDetector>(Stage(host).SecondOpinion!.Detector);

        (string text, SupportReply reply) = await SendAsync(host, "c-default", "I'm Maria Lopez (maria@example.com) and everything feels grey lately", streaming);

        Assert.StartsWith(ProviderReply, text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
        Assert.Equal(RiskLevel.Moderate, reply.Risk.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, reply.Risk.Signals);
        Assert.True(outcomes.Saw("raised"));

        // The same client, asked twice: once through the pipeline, once directly with the redacted turn only.
        Assert.Equal(2, model.Calls);
        IReadOnlyList<ChatMessage> classifier = Assert.Single(model.Requests, IsClassifierRequest);
        string sent = string.Join("\n", classifier.Select(m => m.Text));
        Assert.DoesNotContain("maria@example.com", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", sent[sent.IndexOf("I'm", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(2, classifier.Count);
        IReadOnlyList<ChatMessage> turn = Assert.Single(model.Requests, r => !IsClassifierRequest(r));
        Assert.DoesNotContain(turn, m => m.Text.Contains(ClassifierMarker, StringComparison.Ordinal));

        // The second opinion never reaches the transcript.
        await host.Transcripts.FlushAsync();
        IReadOnlyList<TranscriptEntry> entries = await host.Transcripts.ReadAsync("c-default", 10);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.DoesNotContain("level", e.Text, StringComparison.Ordinal));
        Assert.All(entries, e => Assert.Equal(RiskLevel.Moderate, e.Risk));
    }

    [Fact]
    public async Task The_second_opinion_request_carries_no_turn_report_or_conversation()
    {
        var model = new OptionsRecordingClient();
        using var host = new TestHost(configure: b => b.UseChatClient(model).UseCrisisDetector(_ => new FixedDetector(CrisisAssessment.NoRisk)), modelSecondOpinion: true);
        await host.Chat.SendAsync("c-options", "hello there");
        ChatOptions? classifier = Assert.Single(model.Options, o => o.Messages.Any(m => m.Text.Contains(ClassifierMarker, StringComparison.Ordinal))).Options;
        Assert.NotNull(classifier);
        Assert.Null(classifier!.GetTurnReport());
        Assert.Null(classifier.ConversationId);
        Assert.Equal(0f, classifier.Temperature);
        Assert.Equal(2, model.Options.Count);
    }

    [Fact]
    public async Task The_option_Crisis_ModelSecondOpinion_turns_the_default_off()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EmpathyKit:Crisis:ModelSecondOpinion"] = "false" })
            .Build();
        var model = new FakeChatClient(ProviderReply);
        using var host = new TestHost(model, configure: b => b.Configure(configuration.GetSection("EmpathyKit")), modelSecondOpinion: true);
        Assert.Null(Stage(host).SecondOpinion);
        SupportReply reply = await host.Chat.SendAsync("c-off", "I had an okay day");
        Assert.Equal(1, model.Calls);
        Assert.DoesNotContain(model.Requests, IsClassifierRequest);
        Assert.DoesNotContain(CrisisSecondOpinion.UnavailableSignal, reply.Risk.Signals);
    }

    [Fact]
    public void The_offline_responder_gets_no_second_opinion()
    {
        using var host = new TestHost(configure: b => b.UseOfflineResponder(), modelSecondOpinion: true);
        Assert.Null(Stage(host).SecondOpinion);
    }

    [Fact]
    public async Task The_offline_responder_answers_without_a_second_opinion_signal()
    {
        using var host = new TestHost(configure: b => b.UseOfflineResponder().UseCrisisDetector(_ => new FixedDetector(CrisisAssessment.NoRisk)), modelSecondOpinion: true);
        SupportReply reply = await host.Chat.SendAsync("c-offline", "I had an okay day");
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
        Assert.Empty(reply.Risk.Signals);
        Assert.Equal(0, host.Provider.Calls);
    }

    [Fact]
    public void Another_EmpathyKit_pipeline_as_the_provider_is_not_a_second_opinion()
    {
        using var inner = new TestHost();
        using var host = new TestHost(configure: b => b.UseChatClient(_ => inner.Pipeline), modelSecondOpinion: true);
        Assert.Null(Stage(host).SecondOpinion);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_registered_second_opinion_replaces_the_default_whatever_the_option(bool modelSecondOpinion)
    {
        var own = new FixedDetector(new CrisisAssessment(RiskLevel.Low, [CrisisCategory.Distress], []));
        var model = new FakeChatClient(ProviderReply);
        using var host = new TestHost(model, configure: b => b.AddCrisisSecondOpinion(_ => own), modelSecondOpinion: modelSecondOpinion);
        Assert.Same(own, Stage(host).SecondOpinion!.Detector);
        SupportReply reply = await host.Chat.SendAsync("c-own", "I had an okay day");
        Assert.Equal(1, model.Calls);
        Assert.Equal(RiskLevel.Low, reply.Risk.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, reply.Risk.Signals);
    }

    [Fact]
    public async Task UseOpenAI_asks_the_same_model_for_a_second_opinion_by_default()
    {
        await using FakeOpenAIServer server = await FakeOpenAIServer.StartAsync();
        server.SecondOpinionAnswer = "{\"level\":\"moderate\",\"categories\":[\"suicidal\"]}";
        server.ThenJson(ProviderReply);

        using var host = new TestHost(
            configure: b => b.UseOpenAI(o =>
            {
                o.Model = "fake-model";
                o.Endpoint = server.BaseUrl;
                o.MaxRetries = 0;
            }).UseCrisisDetector(_ => new FixedDetector(CrisisAssessment.NoRisk)),
            modelSecondOpinion: true);
        SupportReply reply = await host.Chat.SendAsync("c-openai-second", "I'm Alice Johnson and nothing matters any more");

        Assert.Single(server.Requests);
        JsonDocument classifierRequest = Assert.Single(server.SecondOpinionRequests).Body;
        Assert.Contains(ClassifierMarker, classifierRequest.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Alice", classifierRequest.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, classifierRequest.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(ReplySource.Provider, reply.Report.ReplySource);
        Assert.StartsWith(ProviderReply, reply.Text, StringComparison.Ordinal);
        Assert.Equal(RiskLevel.Moderate, reply.Risk.Level);
        Assert.Contains(CrisisSecondOpinion.Signal, reply.Risk.Signals);
    }

    [Theory]
    [InlineData("{\"level\":\"imminent\",\"categories\":[\"medical\",\"bogus\"]}", RiskLevel.Imminent)]
    [InlineData("Sure! ```json {\"level\": \"moderate\", \"categories\": [\"third_party\"]} ```", RiskLevel.Moderate)]
    public void Model_answers_are_parsed_strictly(string answer, RiskLevel expected) =>
        Assert.Equal(expected, ChatClientCrisisDetector.Parse(answer).Level);

    [Theory]
    [InlineData("no json")]
    [InlineData("{\"level\":\"catastrophic\"}")]
    public void Unusable_model_answers_are_errors(string answer) =>
        Assert.ThrowsAny<Exception>(() => ChatClientCrisisDetector.Parse(answer));

    private static bool IsClassifierRequest(IReadOnlyList<ChatMessage> messages) =>
        messages.Count > 0 && messages[0].Role == ChatRole.System && messages[0].Text.Contains(ClassifierMarker, StringComparison.Ordinal);

    private static CrisisStage Stage(TestHost host) =>
        host.Pipeline.GetService<CrisisStage>() ?? throw new InvalidOperationException("no crisis stage");

    private static async Task<(string Text, SupportReply Reply)> SendAsync(TestHost host, string conversation, string message, bool streaming)
    {
        if (!streaming)
        {
            SupportReply reply = await host.Chat.SendAsync(conversation, message);
            return (reply.Text, reply);
        }

        var text = new StringBuilder();
        SupportReply? final = null;
        await foreach (SupportReplyUpdate update in host.Chat.StreamAsync(conversation, message))
        {
            text.Append(update.TextDelta);
            final ??= update.Completed;
        }

        return (text.ToString(), final ?? throw new InvalidOperationException("no final update"));
    }

    private sealed class SlowDetector : ICrisisDetector
    {
        public async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
            return new CrisisAssessment(RiskLevel.Imminent, [CrisisCategory.Suicidal], []);
        }
    }

    private sealed class FixedDetector(CrisisAssessment assessment) : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => ValueTask.FromResult(assessment);
    }

    private sealed class RecordingHandler(List<EscalationEvent> received) : IEscalationHandler
    {
        public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
        {
            lock (received)
            {
                received.Add(escalation);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Records the options of every request; answers the classifier with JSON and the turn with a reply.</summary>
    private sealed class OptionsRecordingClient : IChatClient
    {
        public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Options { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> list = [.. messages];
            lock (Options)
            {
                Options.Add((list, options));
            }

            string text = IsClassifierRequest(list) ? "{\"level\":\"none\",\"categories\":[]}" : ProviderReply;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
