// The EmpathyKit Semantic Kernel sample: a Kernel answers support turns through EmpathyKit's pipeline.
// Offline by default (the Kernel's chat service is EmpathyKit's offline responder: no keys, no network); with --model
// (and optionally --endpoint and --api-key-env) the Kernel uses an OpenAI-compatible model through Semantic Kernel's
// OpenAI connector. It runs three scripted turns: an edited template, a plugin the model may call, and a crisis message
// that is answered without the model.
using System.ComponentModel;
using EmpathyKit;
using EmpathyKit.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

string? model = null, apiKeyVariable = "OPENAI_API_KEY";
Uri? endpoint = null;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--model" when value is not null:
            model = value;
            i++;
            break;
        case "--endpoint" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed):
            endpoint = parsed;
            i++;
            break;
        case "--api-key-env" when value is not null:
            apiKeyVariable = value;
            i++;
            break;
        default:
            Console.Error.WriteLine("usage: dotnet run [--model NAME [--endpoint URL] [--api-key-env VARIABLE]]");
            return 2;
    }
}

string? apiKey = model is null ? null : Environment.GetEnvironmentVariable(apiKeyVariable);
if (model is not null && string.IsNullOrEmpty(apiKey))
{
    Console.Error.WriteLine($"--model needs an API key in the environment variable {apiKeyVariable}.");
    return 2;
}

// The Kernel: a chat service and a plugin. Offline, the chat service is EmpathyKit's offline responder, which reflects
// and asks one question but follows no prompt and calls no plugin; for the plugin turn a scripted stand-in plays the
// model (it asks for the plugin and reads back what it got), so the plugin's path runs for real: the call gets the
// user's values, and its result is redacted before the "model" sees it. A real model does all of this itself.
IKernelBuilder kernelBuilder = Kernel.CreateBuilder();
var toolResultsSeen = new List<string>();
if (model is null)
{
    IChatClient responder = Kernel.CreateBuilder().AddEmpathyKitOfflineResponder().Build().GetRequiredService<IChatCompletionService>().AsChatClient();
    IChatClient standIn = new ScriptedPluginModel(responder, toolResultsSeen).AsBuilder().UseKernelFunctionInvocation().Build();
    kernelBuilder.Services.AddSingleton<IChatCompletionService>(standIn.AsChatCompletionService());
}
else if (endpoint is null)
{
    kernelBuilder.AddOpenAIChatCompletion(model, apiKey!);
}
else
{
    kernelBuilder.AddOpenAIChatCompletion(model, endpoint, apiKey);
}

Kernel kernel = kernelBuilder.Build();
kernel.Plugins.AddFromType<SessionsPlugin>("Sessions");

// The pipeline, with the Kernel as its provider and an edited template. The boundaries come before the template and
// are restated after it, whatever it says.
var services = new ServiceCollection();
var seenPrompts = new List<string>();
services.AddEmpathyKit(o =>
    {
        o.Country = "US";
        o.Crisis.ModelSecondOpinion = model is not null; // the offline responder is no model to ask
        o.Handoff.Enabled = false; // no operator watches this sample: a request for a person is told so
    })
    .UseSemanticKernel(_ => kernel, o => o.Template =
        "You are Robin, a calm peer supporter on a university wellbeing app. They seem to feel {{$emotions}} " +
        "(tone {{$tone}}); risk this turn: {{$risk}}. Reflect, then ask one open question. If they ask about their " +
        "counselling appointment, look it up with the Sessions plugin.")
    .AddStage(StageSlot.BeforeProvider, (inner, _) => new PromptWitness(inner, seenPrompts))
    .AddEscalationHandler(_ => new ConsoleEscalation())
    .UseInMemoryTranscripts()
    .UseDevelopmentKey();

using ServiceProvider provider = services.BuildServiceProvider();
ISupportChat chat = provider.GetRequiredService<ISupportChat>();

string[] turns =
[
    "I've been feeling really alone since I moved here for university.",
    "My name is Jordan Lee. Can you check when my next counselling session is?",
    "I have the pills in front of me and I'm going to take them all tonight.",
];

foreach (string turn in turns)
{
    Console.WriteLine($"you> {turn}");
    SupportReply reply = await chat.SendAsync("sk-sample", turn);
    Console.WriteLine($"bot> {reply.Text}");
    Console.WriteLine($"     [risk {reply.Report.Crisis?.Level.ToWireName() ?? "none"}, source {reply.Report.ReplySource}, human alerted {reply.HumanAlerted}]");
    foreach (string seen in toolResultsSeen)
    {
        Console.WriteLine($"     the plugin's result as the model saw it: {seen}");
    }

    toolResultsSeen.Clear();
    if (seenPrompts.Count > 0)
    {
        string prompt = seenPrompts[^1];
        int start = prompt.IndexOf("You are Robin", StringComparison.Ordinal);
        Console.WriteLine($"     the template as the model saw it: {(start < 0 ? "(none)" : prompt[start..prompt.IndexOf('\n', start)])}");
        Console.WriteLine($"     boundaries first and restated last: {prompt.IndexOf("Safety boundaries", StringComparison.Ordinal) < start && prompt.LastIndexOf("Remember: the safety boundaries", StringComparison.Ordinal) > start}");
        seenPrompts.Clear();
    }

    Console.WriteLine();
}

return 0;

/// <summary>A plugin: the model may call it on turns below moderate risk; its result is redacted before the model sees it.</summary>
internal sealed class SessionsPlugin
{
    [KernelFunction("next_session")]
    [Description("Looks up a student's next counselling session.")]
    public static string NextSession([Description("The student's full name")] string student) =>
        $"{student}: Tuesday 3pm with Dr Amara Okafor, Student Wellbeing, room 2.14 (phone 555-0142).";
}

/// <summary>
/// Offline only: plays the model on the plugin turn (asked about a session with the plugin offered, it calls
/// <c>next_session</c> with the student's name as it saw it, a placeholder; given the result, it reads it back) and
/// leaves every other turn to the offline responder.
/// </summary>
internal sealed class ScriptedPluginModel(IChatClient responder, List<string> toolResultsSeen) : DelegatingChatClient(responder)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        if (list.Count > 0 && list[^1].Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            toolResultsSeen.Add(result.Result?.ToString() ?? string.Empty);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"I found it: {result.Result} How are you feeling about going?")));
        }

        string user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        AITool? lookup = options?.Tools?.FirstOrDefault(t => t.Name.EndsWith("next_session", StringComparison.Ordinal));
        int name = user.IndexOf("[PERSON", StringComparison.Ordinal);
        if (lookup is not null && name >= 0 && user.Contains("session", StringComparison.OrdinalIgnoreCase))
        {
            string student = user[name..(user.IndexOf(']', name) + 1)];
            var call = new FunctionCallContent("call-1", lookup.Name, new Dictionary<string, object?> { ["student"] = student });
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
        }

        return base.GetResponseAsync(list, options, cancellationToken);
    }
}

/// <summary>Keeps the system prompt the provider receives, to show where the template went (a sample-only stage).</summary>
internal sealed class PromptWitness(IChatClient inner, List<string> seen) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        seen.Add(list.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty);
        return base.GetResponseAsync(list, options, cancellationToken);
    }
}

/// <summary>Tells the operator (here, the console) that a conversation needs a human; it never sees the message.</summary>
internal sealed class ConsoleEscalation : IEscalationHandler
{
    public ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"     [escalation {escalation.EscalationId[..8]}: conversation {escalation.ConversationId}, risk {escalation.Assessment.Level.ToWireName()}]");
        return ValueTask.CompletedTask;
    }
}
