using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>One call through one stage: the request as it arrived, what the stage passes inward, and the turn's report.</summary>
internal sealed class StageTurn
{
    private string? _lastUserText;

    public StageTurn(IReadOnlyList<ChatMessage> messages, ChatOptions options, TurnReport report, bool createdReport, Activity? activity)
    {
        Received = messages;
        Messages = messages;
        Options = options;
        Report = report;
        CreatedReport = createdReport;
        Activity = activity;
    }

    /// <summary>Gets the messages as the stage received them (never mutated).</summary>
    public IReadOnlyList<ChatMessage> Received { get; }

    /// <summary>Gets or sets the messages passed inward (a stage's <c>BeforeTurnAsync</c> may replace them).</summary>
    public IReadOnlyList<ChatMessage> Messages { get; set; }

    /// <summary>
    /// Gets or sets the options passed inward (the caller's, or a clone carrying the report). A stage that changes them
    /// sets a clone (<see cref="ChatOptions.Clone"/>), never mutating the caller's.
    /// </summary>
    public ChatOptions Options { get; set; }

    /// <summary>Gets the turn's report.</summary>
    public TurnReport Report { get; }

    /// <summary>Gets whether this stage created the report (it is the outermost, and attaches the report to the reply).</summary>
    public bool CreatedReport { get; }

    /// <summary>Gets the stage's activity, or <see langword="null"/> when nobody listens.</summary>
    public Activity? Activity { get; }

    /// <summary>Gets or sets what the stage keeps for this turn between its hooks.</summary>
    public object? State { get; set; }

    /// <summary>
    /// Gets whether this call continues a turn after a tool call: a tool result follows the last user message. The user's
    /// message was seen by the call that asked for the tool, so it is not stored or escalated again; its reply is the
    /// turn's final text (or another tool call).
    /// </summary>
    public bool IsContinuation
    {
        get
        {
            for (int i = Received.Count - 1; i >= 0; i--)
            {
                ChatMessage message = Received[i];
                if (message.Role == ChatRole.User)
                {
                    return false;
                }

                if (message.Role == ChatRole.Tool || message.Contents.Any(c => c is FunctionResultContent))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Gets the text of the last user message received, or an empty string.</summary>
    public string LastUserText
    {
        get
        {
            if (_lastUserText is null)
            {
                _lastUserText = string.Empty;
                for (int i = Received.Count - 1; i >= 0; i--)
                {
                    if (Received[i].Role == ChatRole.User)
                    {
                        _lastUserText = Received[i].Text;
                        break;
                    }
                }
            }

            return _lastUserText;
        }
    }
}
