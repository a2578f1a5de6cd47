using System.ComponentModel;
using EmpathyKit.SemanticKernel;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace EmpathyKit.Tests.SemanticKernel;

/// <summary>EmpathyKit's filters on a real Kernel whose chat service is a plain model (not the pipeline).</summary>
public sealed class KernelFilterTests
{
    private readonly List<EscalationEvent> _escalations = [];

    [Fact]
    public async Task A_crisis_prompt_gets_the_crisis_reply_without_a_model_call_and_escalates_once()
    {
        var model = new FakeChatClient("Here is some information.");
        Kernel kernel = Build(model);

        FunctionResult result = await kernel.InvokePromptAsync("I have the pills in front of me and I'm going to take them all tonight");

        Assert.Equal(0, model.Calls);
        Assert.Contains("116 123", result.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(_escalations);
    }

    [Fact]
    public async Task A_crisis_message_inside_a_chat_prompt_is_found_in_its_user_message()
    {
        var model = new FakeChatClient("Here is some information.");
        Kernel kernel = Build(model);

        await kernel.InvokePromptAsync("<message role=\"system\">You are a helpful travel guide.</message><message role=\"user\">{{$input}}</message>", new KernelArguments { ["input"] = "I just lost my job. What are the bridges taller than 25 meters in NYC?" });

        Assert.Equal(0, model.Calls);
        Assert.Single(_escalations);
    }

    [Fact]
    public async Task The_prompt_is_redacted_before_the_model_and_the_reply_gets_the_values_back()
    {
        var model = new FakeChatClient(messages =>
        {
            string user = messages.Last(m => m.Role == ChatRole.User).Text;
            int start = user.IndexOf("[PERSON", StringComparison.Ordinal);
            return start < 0 ? "I don't know your name." : "It's good to meet you, " + user[start..(user.IndexOf(']', start) + 1)] + ". What's on your mind?";
        });
        Kernel kernel = Build(model);

        FunctionResult result = await kernel.InvokePromptAsync("Hi, my name is Sarah Jones and I've had a hard week", new KernelArguments(EmpathyKitKernel.ForConversation("c-filters")));

        Assert.DoesNotContain("Sarah", string.Join("\n", model.Requests.Single().Select(m => m.Text)), StringComparison.Ordinal);
        Assert.Equal("It's good to meet you, Sarah Jones. What's on your mind?", result.GetValue<string>());
        Assert.Empty(_escalations);
    }

    [Fact]
    public async Task A_reply_that_breaks_a_boundary_is_replaced_by_the_safe_reply()
    {
        Kernel kernel = Build(new FakeChatClient("You should take 50mg of sertraline every morning."));

        FunctionResult result = await kernel.InvokePromptAsync("I've been feeling low for weeks");

        Assert.Equal(EmpathyKit.Pipeline.GuardStage.SafeReply, result.GetValue<string>());
    }

    [Fact]
    public async Task A_tool_result_is_redacted_before_the_model_and_no_tool_runs_at_moderate_risk()
    {
        var plugin = new DirectoryPlugin();
        var model = new OneToolModel();
        Kernel kernel = Build(model, tools: true);
        kernel.Plugins.AddFromObject(plugin, "Directory");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        await kernel.InvokePromptAsync("Who is my counsellor?", new KernelArguments(settings));
        Assert.Equal(1, plugin.Calls);
        string toModel = string.Join("\n", model.Requests.SelectMany(r => r).SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString()));
        Assert.Contains("[PERSON_", toModel, StringComparison.Ordinal);
        Assert.DoesNotContain("Emily Watson", toModel, StringComparison.Ordinal);

        await kernel.InvokePromptAsync("everyone would be better off without me, who is my counsellor?", new KernelArguments(settings));
        Assert.Equal(1, plugin.Calls);
    }

    [Fact]
    public async Task The_guard_is_told_the_risk_the_prompt_filter_found()
    {
        var seen = new List<RiskLevel>();
        Kernel kernel = Build(new FakeChatClient("That sounds so heavy. Are you safe right now?"), guard: new RecordingGuard(seen));

        await kernel.InvokePromptAsync("everyone would be better off without me");
        await kernel.InvokePromptAsync("I went for a walk and it was nice");

        // One check a sentence, each told its call's risk.
        Assert.Equal([RiskLevel.Moderate, RiskLevel.Moderate, RiskLevel.None, RiskLevel.None], seen);
    }

    [Fact]
    public async Task A_streamed_crisis_prompt_gets_the_crisis_reply_without_a_model_call_and_escalates_once()
    {
        var model = new FakeChatClient("Here is some information.");
        Kernel kernel = Build(model);

        string shown = await StreamAsync<StreamingChatMessageContent>(kernel, "I have the pills in front of me and I'm going to take them all tonight", u => u.Content);

        Assert.Equal(0, model.Calls);
        Assert.Contains("116 123", shown, StringComparison.Ordinal);
        Assert.Single(_escalations);
    }

    [Fact]
    public async Task A_streamed_reply_shows_what_passed_and_the_safe_reply_from_the_first_failing_sentence()
    {
        var model = new FakeChatClient("I hear how hard this has been. You should take 50mg of sertraline every morning. It will help.", chunkSize: 5);
        Kernel kernel = Build(model);

        string chat = await StreamAsync<StreamingChatMessageContent>(kernel, "I've been feeling low for weeks", u => u.Content);
        string text = await StreamAsync<string>(kernel, "I've been feeling low for weeks", u => u);
        string kernelContent = await StreamAsync<StreamingKernelContent>(kernel, "I've been feeling low for weeks", u => u.ToString());

        string complete = (await kernel.InvokePromptAsync("I've been feeling low for weeks")).GetValue<string>()!;

        string expected = "I hear how hard this has been. " + EmpathyKit.Pipeline.GuardStage.SafeReply;
        Assert.Equal(expected, complete);
        Assert.Equal(expected, chat);
        Assert.Equal(expected, text);
        Assert.Equal(expected, kernelContent);
    }

    [Fact]
    public async Task A_streamed_reply_gets_the_users_values_back_in_place_of_the_placeholders()
    {
        var model = new FakeChatClient(
            messages =>
            {
                string user = messages.Last(m => m.Role == ChatRole.User).Text;
                int start = user.IndexOf("[PERSON", StringComparison.Ordinal);
                return start < 0 ? "I don't know your name." : "It's good to meet you, " + user[start..(user.IndexOf(']', start) + 1)] + ". What's on your mind?";
            },
            chunkSize: 3);
        Kernel kernel = Build(model);

        string shown = await StreamAsync<StreamingChatMessageContent>(kernel, "Hi, my name is Sarah Jones and I've had a hard week", u => u.Content, "c-filters-stream");

        Assert.DoesNotContain("Sarah", string.Join("\n", model.Requests.Single().Select(m => m.Text)), StringComparison.Ordinal);
        Assert.Equal("It's good to meet you, Sarah Jones. What's on your mind?", shown);
    }

    [Fact]
    public async Task A_streamed_reply_whose_guard_throws_is_not_shown()
    {
        Kernel kernel = Build(new FakeChatClient("I hear you. Tell me more about it."), guard: new ThrowingGuard());

        string shown = await StreamAsync<StreamingChatMessageContent>(kernel, "I've been feeling low for weeks", u => u.Content);

        Assert.Equal(EmpathyKit.Pipeline.GuardStage.SafeReply, shown);
    }

    private static async Task<string> StreamAsync<T>(Kernel kernel, string prompt, Func<T, string?> text, string? conversation = null)
    {
        var shown = new System.Text.StringBuilder();
        KernelArguments arguments = conversation is null ? [] : new KernelArguments(EmpathyKitKernel.ForConversation(conversation));
        await foreach (T update in kernel.InvokePromptStreamingAsync<T>(prompt, arguments))
        {
            shown.Append(text(update));
        }

        return shown.ToString();
    }

    private Kernel Build(IChatClient model, bool tools = false, IOutputGuard? guard = null)
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddLogging();
        IChatClient service = tools ? model.AsBuilder().UseKernelFunctionInvocation().Build() : model;
        builder.Services.AddSingleton<IChatCompletionService>(service.AsChatCompletionService());
        builder.AddEmpathyKitFilters(ek => ek
            .Configure(o => o.Country = "GB")
            .UseInMemoryTranscripts()
            .AddEscalationHandler(_ => new RecordingEscalationHandler(_escalations))
            .UseOutputGuardWhen(guard));
        return builder.Build();
    }

    private sealed class ThrowingGuard : IOutputGuard
    {
        public ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("guard down");
    }

    private sealed class RecordingGuard(List<RiskLevel> seen) : IOutputGuard
    {
        public ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default)
        {
            seen.Add(context.Risk);
            return ValueTask.FromResult(GuardResult.Pass);
        }
    }

    private sealed class DirectoryPlugin
    {
        public int Calls { get; private set; }

        [KernelFunction("counsellor")]
        [Description("Finds the user's counsellor.")]
        public string Counsellor()
        {
            Calls++;
            return "Your counsellor is Emily Watson, phone 07700 900123.";
        }
    }

    /// <summary>Calls the first tool offered, then answers.</summary>
    private sealed class OneToolModel : IChatClient
    {
        public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> list = [.. messages];
            Requests.Add(list);
            if (list[^1].Role != ChatRole.Tool && options?.Tools is { Count: > 0 } offered)
            {
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-" + Requests.Count, offered[0].Name)])));
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Thanks for asking. How are you feeling about seeing them?")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary>Uses a guard only when one is given.</summary>
internal static class GuardBuilderTestExtensions
{
    public static IEmpathyKitBuilder UseOutputGuardWhen(this IEmpathyKitBuilder builder, IOutputGuard? guard) =>
        guard is null ? builder : builder.UseOutputGuard(_ => guard);
}
