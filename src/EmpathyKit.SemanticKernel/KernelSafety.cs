using System.Net;
using System.Text.RegularExpressions;
using EmpathyKit.Crisis;
using EmpathyKit.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// The named pipeline's engines as the EmpathyKit filters use them: the crisis detector and reply, the redactor, the
/// output guard and the escalation handlers, with the pipeline's options.
/// </summary>
internal sealed partial class KernelSafety
{
    private static readonly AsyncLocal<CallState?> Ambient = new();

    public KernelSafety(IServiceProvider services, string name)
    {
        EmpathyKitOptions options = services.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>().Get(name);
        Options = options;
        Detector = services.GetRequiredKeyedService<ICrisisDetector>(name);
        Redactor = services.GetRequiredKeyedService<IPiiRedactor>(name);
        Guard = services.GetRequiredKeyedService<IOutputGuard>(name);
        Escalations = services.GetRequiredKeyedService<EscalationRaiser>(name);
        Escalations.Worker.EnsureStarted();
        Replies = new CrisisReplyBuilder(options.Crisis, services.GetRequiredKeyedService<CrisisDirectory>(name), options.Country);
        Time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("EmpathyKit.SemanticKernel");
    }

    public EmpathyKitOptions Options { get; }

    public ICrisisDetector Detector { get; }

    public IPiiRedactor Redactor { get; }

    public IOutputGuard Guard { get; }

    public EscalationRaiser Escalations { get; }

    public CrisisReplyBuilder Replies { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>The function invocation in progress (set by the function filter around the call), or <see langword="null"/>.</summary>
    public static CallState? Current => Ambient.Value;

    /// <summary>Starts a call's state for the rest of this asynchronous flow; returns the previous one.</summary>
    public static CallState? Enter(CallState call)
    {
        CallState? previous = Ambient.Value;
        Ambient.Value = call;
        return previous;
    }

    /// <summary>Restores the state <see cref="Enter"/> replaced.</summary>
    public static void Leave(CallState? previous) => Ambient.Value = previous;

    /// <summary>The conversation a call names (arguments, then execution settings), or <see langword="null"/>.</summary>
    public static string? Named(KernelArguments? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        if (arguments.TryGetValue(EmpathyKitKernel.ConversationIdKey, out object? value) && value?.ToString() is { Length: > 0 } id)
        {
            return id;
        }

        foreach (PromptExecutionSettings settings in arguments.ExecutionSettings?.Values ?? [])
        {
            if (settings.ExtensionData?.TryGetValue(EmpathyKitKernel.ConversationIdKey, out object? named) == true && named?.ToString() is { Length: > 0 } fromSettings)
            {
                return fromSettings;
            }
        }

        return null;
    }

    /// <summary>The user turns of a rendered prompt: its user messages in chat-prompt form, else the whole prompt.</summary>
    public static List<string> UserTurns(string rendered)
    {
        var turns = new List<string>();
        foreach (Match match in UserMessageRegex().Matches(rendered))
        {
            turns.Add(WebUtility.HtmlDecode(match.Groups["text"].Value).Trim());
        }

        if (turns.Count == 0 && !rendered.Contains("<message", StringComparison.OrdinalIgnoreCase))
        {
            turns.Add(rendered.Trim());
        }

        return turns;
    }

    /// <summary>Assesses the last user turn of a text with the earlier ones as context; an exception is high risk (fail safe).</summary>
    public async ValueTask<CrisisAssessment> AssessAsync(IReadOnlyList<string> turns, CancellationToken cancellationToken)
    {
        if (turns.Count == 0)
        {
            return CrisisAssessment.NoRisk;
        }

        try
        {
            return await Detector.AssessAsync(new CrisisInput(turns[^1], [.. turns.Take(turns.Count - 1)]), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Fail safe: a detector that throws means "treat as at risk".
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new CrisisAssessment(RiskLevel.High, [], [CrisisSignals.DetectorError]);
        }
    }

    /// <summary>Raises the escalation through the pipeline's durable outbox, as the escalation stage does (not cancelled with the call).</summary>
    public ValueTask<EscalationRecord> EscalateAsync(string conversation, CrisisAssessment assessment) => Escalations.RaiseAsync(conversation, assessment);

    /// <summary>The call's conversation: the invocation's, else the one its arguments name, else a new one.</summary>
    public static string ConversationOf(KernelArguments? arguments) =>
        Current?.Conversation ?? Named(arguments) ?? "sk-" + Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// What the filters of one function invocation share: its conversation, and the risk the prompt filter found (the
    /// function filter's guard reads it: at moderate, urging the person to reach out is wanted).
    /// </summary>
    internal sealed class CallState(string conversation)
    {
        public string Conversation { get; } = conversation;

        public RiskLevel Risk { get; set; }
    }

    [GeneratedRegex(@"<message\s+role\s*=\s*[""']user[""']\s*>(?<text>.*?)</message>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UserMessageRegex();
}
