using EmpathyKit.Prompting;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Puts EmpathyKit's system prompt, built from the turn report (see <see cref="SystemPromptBuilder"/>), first in the
/// messages the provider receives. Host system messages in the conversation stay where they are, after it; the request's
/// own instructions (<see cref="ChatOptions.Instructions"/>) are moved into the prompt, after the boundaries, which the
/// prompt restates last.
/// </summary>
/// <remarks>
/// Sees redacted text; the prompt holds labels from the report, never the user's words, and an example placeholder in
/// the redactor's format. It cannot block. If building
/// the prompt fails the turn fails (the façade gives a safe reply): a model is never called without the boundaries.
/// </remarks>
internal sealed class PromptStage : PipelineStage
{
    private readonly PromptOptions _options;
    private readonly int _adviceFreeTurns;
    private readonly PiiPlaceholderFormat? _placeholders;

    public PromptStage(IChatClient inner, PromptOptions options, int adviceFreeTurns, PiiPlaceholderFormat? placeholders = null)
        : base(inner, PipelineStageNames.SystemPrompt)
    {
        _options = options;
        _adviceFreeTurns = adviceFreeTurns;
        _placeholders = placeholders;
    }

    protected override ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        string? instructions = turn.Options.Instructions;
        if (_options.Enabled && !string.IsNullOrWhiteSpace(instructions))
        {
            // The request's instructions go inside EmpathyKit's prompt, after the boundaries, which are restated last;
            // a provider would otherwise put them before it.
            ChatOptions options = turn.Options.Clone();
            options.Instructions = null;
            turn.Options = options;
        }
        else
        {
            instructions = null;
        }

        turn.Messages = WithPrompt(turn, instructions);
        return new(StageDecision.Continue);
    }

    private List<ChatMessage> WithPrompt(StageTurn turn, string? instructions)
    {
        IReadOnlyList<ChatMessage> messages = turn.Received;
        var result = new List<ChatMessage>(messages.Count + 1);
        if (_options.Enabled)
        {
            result.Add(new ChatMessage(ChatRole.System, SystemPromptBuilder.Build(turn.Report, _options, _adviceFreeTurns, turn.LastUserText, instructions, _placeholders)));
        }

        result.AddRange(messages);
        return result;
    }
}
