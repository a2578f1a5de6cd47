using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Base of the built-in stages: finds or creates the turn's <see cref="TurnReport"/> without mutating the caller's
/// options, and records the stage in it.
/// </summary>
internal abstract class EmpathyStage : DelegatingChatClient
{
    protected EmpathyStage(IChatClient innerClient, string stageName)
        : base(innerClient)
    {
        StageName = stageName;
    }

    /// <summary>Gets the stage's name as recorded in the report.</summary>
    public string StageName { get; }

    /// <summary>Gets the turn's report, creating it on a clone of the options when this stage is the first to see the turn.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The caller's options (never mutated).</param>
    /// <returns>The options to pass on and the report.</returns>
    protected (ChatOptions Options, TurnReport Report) Begin(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        TurnReport? report = options.GetTurnReport();
        ChatOptions effective;
        if (report is null)
        {
            effective = options?.Clone() ?? new ChatOptions();
            report = new TurnReport
            {
                ConversationId = effective.ConversationId ?? "anon-" + Guid.NewGuid().ToString("N"),
                TurnIndex = Math.Max(0, messages.Count(m => m.Role == ChatRole.User) - 1),
            };
            effective.SetTurnReport(report);
        }
        else
        {
            effective = options!;
        }

        report.MarkStage(StageName);
        return (effective, report);
    }

    /// <summary>Starts this stage's activity (<c>empathykit.&lt;stage&gt;</c>); tags carry names and levels, never content.</summary>
    /// <returns>The activity, or <see langword="null"/> when nobody listens.</returns>
    protected System.Diagnostics.Activity? StartActivity() =>
        Diagnostics.EmpathyKitTelemetry.ActivitySource.StartActivity("empathykit." + StageName)?.SetTag("empathykit.stage", StageName);

    /// <summary>Counts a failure of this stage that its failure rule handled (the caller logs it).</summary>
    protected void CountFailure() =>
        Diagnostics.EmpathyKitTelemetry.StageFailures.Add(1, new KeyValuePair<string, object?>("stage", StageName));

    /// <summary>Gets the text of the last user message, or an empty string.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>The text.</returns>
    protected static string LastUserText(IReadOnlyList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User)
            {
                return messages[i].Text;
            }
        }

        return string.Empty;
    }

    /// <summary>Materialises the messages once so a stage can index them.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>A list.</returns>
    protected static IReadOnlyList<ChatMessage> AsList(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages as IReadOnlyList<ChatMessage> ?? [.. messages];
    }

    /// <summary>Creates a complete reply produced by a stage itself (the provider is not called).</summary>
    /// <param name="text">The reply.</param>
    /// <param name="report">The turn's report, attached to the response.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <returns>The response.</returns>
    protected static ChatResponse StageReply(string text, TurnReport report, ChatFinishReason finishReason) =>
        new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = finishReason }.SetTurnReport(report);

    /// <summary>Creates the single streaming update of a reply produced by a stage itself.</summary>
    /// <param name="text">The reply.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <returns>The update.</returns>
    protected static ChatResponseUpdate StageUpdate(string text, ChatFinishReason finishReason) =>
        new(ChatRole.Assistant, text) { FinishReason = finishReason };
}
