using System.Globalization;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Enforces the documented limits: a user message longer than <see cref="EmpathyKitOptions.MaxMessageLength"/> gets a
/// safe reply asking for a shorter message (it was already assessed by the crisis stage outside this one), and history
/// beyond <see cref="EmpathyKitOptions.MaxHistoryMessages"/> is trimmed (system messages are kept).
/// </summary>
internal sealed class InputLimitStage : PipelineStage
{
    private readonly int _maxLength;
    private readonly int _maxHistory;
    private readonly string _tooLongReply;

    public InputLimitStage(IChatClient inner, EmpathyKitOptions options)
        : base(inner, PipelineStageNames.InputLimits)
    {
        _maxLength = options.MaxMessageLength;
        _maxHistory = options.MaxHistoryMessages;
        _tooLongReply = string.Format(
            CultureInfo.InvariantCulture,
            "That's a lot to take in at once: I can read messages of up to {0:N0} characters. Could you share the part that matters most to you right now, or send it in smaller pieces?",
            _maxLength);
    }

    protected override ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        if (turn.LastUserText.Length > _maxLength)
        {
            return new(StageDecision.Reply(new StageAnswer(_tooLongReply, ChatFinishReason.Stop, ReplySource.InputLimit)));
        }

        turn.Messages = Trim(turn.Received);
        return new(StageDecision.Continue);
    }

    private IReadOnlyList<ChatMessage> Trim(IReadOnlyList<ChatMessage> messages)
    {
        int conversational = messages.Count(m => m.Role != ChatRole.System);
        int allowed = _maxHistory + 1;
        if (conversational <= allowed)
        {
            return messages;
        }

        int skip = conversational - allowed;
        var trimmed = new List<ChatMessage>(messages.Count - skip);
        foreach (ChatMessage message in messages)
        {
            if (message.Role != ChatRole.System && skip > 0)
            {
                skip--;
                continue;
            }

            trimmed.Add(message);
        }

        return trimmed;
    }
}
