using System.Text;
using EmpathyKit.Pii;
using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Replaces PII in every message (history and system messages included) with numbered placeholders before anything is
/// passed inward, and turns placeholders in the reply back into the user's values on the way out.
/// </summary>
/// <remarks>
/// Inner stages and the provider see redacted text only. Fails closed: if redaction throws, nothing is passed inward and
/// the turn gets a safe reply. Streaming holds back a possible partial placeholder (<c>[PERS…</c>) until it is complete.
/// Placeholders are recognised in the redactor's own format (<see cref="IPiiRedactor.PlaceholderFormat"/>).
/// Tool results and the string arguments of function calls are redacted like text (history included), and so are
/// per-request instructions (<c>ChatOptions.Instructions</c>); a function call in the reply gets the user's values back,
/// so a host's tool runs with them. Other non-text contents (images) are passed on unchanged.
/// </remarks>
internal sealed class PiiStage : PipelineStage
{
    internal const string FailClosedReply =
        "I'm sorry, something went wrong on my side and I couldn't process that message safely, so I didn't send it anywhere. Could you try saying it another way?";

    private readonly IPiiRedactor _redactor;
    private readonly PiiPlaceholderFormat _format;
    private readonly ILogger _logger;

    public PiiStage(IChatClient inner, IPiiRedactor redactor, ILogger logger)
        : base(inner, PipelineStageNames.Redaction)
    {
        _redactor = redactor;
        _format = FormatOf(redactor);
        _logger = logger;
    }

    /// <summary>The redactor's placeholder format; a redactor that reports none is a programming error.</summary>
    internal static PiiPlaceholderFormat FormatOf(IPiiRedactor redactor) =>
        redactor.PlaceholderFormat ?? throw new InvalidOperationException($"The PII redactor {redactor.GetType().Name} reports no placeholder format (IPiiRedactor.PlaceholderFormat).");

    protected override async ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        if (await RedactRequestAsync(turn, cancellationToken).ConfigureAwait(false) is not { } redacted)
        {
            return StageDecision.Reply(new StageAnswer(FailClosedReply, ChatFinishReason.ContentFilter, ReplySource.SafeFallback));
        }

        turn.Messages = redacted.Messages;
        if (redacted.Instructions is not null)
        {
            ChatOptions options = turn.Options.Clone();
            options.Instructions = redacted.Instructions;
            turn.Options = options;
        }

        return StageDecision.Continue;
    }

    protected override ReplyTransform CreateReplyTransform(StageTurn turn) => new Rehydrate(this, turn.Report);

    /// <summary>Turns placeholders back into the user's values and removes any that name no value.</summary>
    private string Restore(TurnReport report, string text)
    {
        string restored = PiiPlaceholders.RemoveUnknown(_format, _redactor.Rehydrate(report.ConversationId!, text), out bool leaked);
        if (leaked)
        {
            EmpathyKitTelemetry.GuardReplacements.Add(1, new KeyValuePair<string, object?>("violation", GuardViolations.LeakedPlaceholder));
        }

        return restored;
    }

    /// <summary>
    /// Redacts every message and the request's own instructions (a Semantic Kernel template, an agent's, which may carry
    /// the user's details too); <see langword="null"/> when redaction failed, and then nothing leaves (fail closed).
    /// </summary>
    private async ValueTask<(List<ChatMessage> Messages, string? Instructions)?> RedactRequestAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            List<ChatMessage> messages = await RedactAllAsync(turn.Received, turn.Report, RedactedHistory.Get(turn.Options), cancellationToken).ConfigureAwait(false);
            string? instructions = string.IsNullOrEmpty(turn.Options.Instructions)
                ? null
                : (await _redactor.RedactAsync(turn.Report.ConversationId!, turn.Options.Instructions, cancellationToken).ConfigureAwait(false)).RedactedText;
            return (messages, instructions);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed: no redaction means the request does not leave.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RedactionFailed(_logger, ex.GetType().Name);
            CountFailure();
            return null;
        }
    }

    private async ValueTask<List<ChatMessage>> RedactAllAsync(IReadOnlyList<ChatMessage> messages, TurnReport report, RedactedHistory? alreadyRedacted, CancellationToken cancellationToken)
    {
        string conversationId = report.ConversationId!;
        var result = new List<ChatMessage>(messages.Count);
        int lastUser = -1;
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User)
            {
                lastUser = i;
                break;
            }
        }

        for (int i = 0; i < messages.Count; i++)
        {
            bool isLastUser = i == lastUser;
            if (!isLastUser && alreadyRedacted?.Contains(messages[i]) == true)
            {
                // Read back from the transcript in the form the redactor wrote when the turn was stored.
                result.Add(messages[i]);
                continue;
            }

            result.Add(await ChatContentRewriter.RewriteAsync(messages[i], async text =>
            {
                RedactionResult redaction = await _redactor.RedactAsync(conversationId, text, cancellationToken).ConfigureAwait(false);
                if (isLastUser)
                {
                    report.Redaction = redaction;
                    foreach (PiiEntity entity in redaction.Entities)
                    {
                        EmpathyKitTelemetry.PiiEntities.Add(1, new KeyValuePair<string, object?>("type", entity.Type));
                    }
                }

                return redaction.RedactedText;
            }).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>
    /// Turns placeholders in the reply back into the user's values, holding back a possible partial placeholder
    /// (<c>[PERS…</c>) until it is complete; records the reply as the provider wrote it.
    /// </summary>
    private sealed class Rehydrate(PiiStage stage, TurnReport report) : ReplyTransform
    {
        // The reply as the provider wrote it: one piece kept as it is (a complete reply), more collected.
        private string _first = string.Empty;
        private StringBuilder? _more;
        private string _pending = string.Empty;

        public override ValueTask<ReplyChunk> PushAsync(string text, CancellationToken cancellationToken)
        {
            if (_more is not null)
            {
                _more.Append(text);
            }
            else if (_first.Length == 0)
            {
                _first = text;
            }
            else
            {
                _more = new StringBuilder(_first).Append(text);
            }

            _pending = _pending.Length == 0 ? text : _pending + text;
            int safe = stage._format.CompletePrefixLength(_pending);
            string emit = safe > 0 ? stage.Restore(report, safe == _pending.Length ? _pending : _pending[..safe]) : string.Empty;
            _pending = safe == _pending.Length ? string.Empty : _pending[safe..];
            return new(new ReplyChunk(emit));
        }

        /// <summary>A function call the model makes carries the user's values again (the tool runs with them).</summary>
        public override ValueTask<AIContent> TransformContentAsync(AIContent content, CancellationToken cancellationToken) =>
            content is FunctionCallContent call
                ? ChatContentRewriter.RewriteCallAsync(call, text => new ValueTask<string>(stage.Restore(report, text)))
                : new(content);

        public override ValueTask<ReplyChunk> CompleteAsync(ReplyEnd end, CancellationToken cancellationToken)
        {
            report.RedactedReply = _more?.ToString() ?? _first;
            return new(new ReplyChunk(_pending.Length > 0 ? stage.Restore(report, _pending) : string.Empty));
        }
    }
}
