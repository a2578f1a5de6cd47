using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// The outermost stage: after the inner stages return, appends the user's message and the reply to the encrypted
/// transcript with the turn's risk level and categories. As the outermost stage it is the one that attaches the
/// <see cref="TurnReport"/> to the response (streaming: to a last, content-free update), after the append.
/// </summary>
/// <remarks>
/// Stores the redacted text unless <see cref="EmpathyKitOptions.StoreOriginalText"/> is set; encrypted always. If the
/// inner stages throw, the user's message is still appended before the exception continues. A failed append is logged
/// and counted and does not fail the turn (<see cref="TurnReport.TranscriptWritten"/> says whether it was accepted).
/// The entries go to the <see cref="TranscriptTarget"/> on the chat options (tenant, subject, conversation), or to the
/// conversation as its own subject; they are queued unless the target asks to wait for durability. Called directly by
/// conversation id with no earlier turn in the messages, it first reads that conversation's history back from the
/// same place (see <c>ReadsHistory</c>), as the façade does.
/// </remarks>
internal sealed class TranscriptStage : PipelineStage
{
    private readonly ITranscriptLog _log;
    private readonly IPiiRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly bool _storeOriginal;
    private readonly int _maxHistory;
    private readonly ILogger _logger;

    public TranscriptStage(IChatClient inner, ITranscriptLog log, IPiiRedactor redactor, TimeProvider time, bool storeOriginal, int maxHistory, ILogger logger)
        : base(inner, PipelineStageNames.Transcript)
    {
        _log = log;
        _redactor = redactor;
        _time = time;
        _storeOriginal = storeOriginal;
        _maxHistory = maxHistory;
        _logger = logger;
    }

    protected override bool KeepsReplyText => true;

    /// <summary>
    /// Notes when the message arrived; for a call by conversation id that sends no earlier turns, reads them back from the
    /// transcript (the caller keeps no history: a Semantic Kernel prompt, an agent on a service-side thread).
    /// </summary>
    protected override async ValueTask<StageDecision> BeforeTurnAsync(StageTurn turn, CancellationToken cancellationToken)
    {
        turn.State = new Received(_time.GetUtcNow(), _time.GetTimestamp());
        if (ReadsHistory(turn))
        {
            TranscriptTarget target = turn.Options.GetTranscriptTarget() ?? new TranscriptTarget(TranscriptAddress.ForConversation(turn.Report.ConversationId!));
            int received = turn.Report.TurnIndex;
            turn.Report.TurnIndex = 0;
            (List<ChatMessage> history, RedactedHistory redacted) = await TranscriptHistoryLoader.LoadAsync(_log, target.Address, _maxHistory, turn.Report, _logger, cancellationToken).ConfigureAwait(false);
            turn.Report.TurnIndex += received;
            if (history.Count > 0)
            {
                // The caller's system messages first, then the earlier turns, then what it sent.
                int leading = 0;
                while (leading < turn.Received.Count && turn.Received[leading].Role == ChatRole.System)
                {
                    leading++;
                }

                history.InsertRange(0, turn.Received.Take(leading));
                history.AddRange(turn.Received.Skip(leading));
                turn.Messages = history;
                RedactedHistory.Set(turn.Options, redacted);
            }
        }

        return StageDecision.Continue;
    }

    /// <summary>
    /// Gets whether the pipeline reads the conversation's history for this call: called directly (not through the façade,
    /// which reads it itself) with <see cref="ChatOptions.ConversationId"/>, as a new turn (a continuation after a tool call
    /// carries its turn's messages, and its user message is already stored), and with no earlier turn in the messages
    /// (only system and user messages), so history the caller keeps is never doubled.
    /// </summary>
    private bool ReadsHistory(StageTurn turn)
    {
        if (_maxHistory <= 0 || !turn.CreatedReport || turn.Options.ConversationId is not { Length: > 0 } || turn.IsContinuation)
        {
            return false;
        }

        for (int i = 0; i < turn.Received.Count; i++)
        {
            if (turn.Received[i].Role != ChatRole.System && turn.Received[i].Role != ChatRole.User)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Appends the user's message and the reply; when the inner stages failed, or the caller stopped reading early,
    /// the user's message and what was shown of the reply are still kept.
    /// </summary>
    protected override ValueTask AfterTurnAsync(StageTurn turn, TurnEnd end)
    {
        var received = (Received)turn.State!;

        // A tool call splits a turn into calls: the first stores the user's message, the last the final reply; a reply
        // that only asks for a tool (no text) is not stored.
        bool storeUser = !turn.IsContinuation;
        string? reply = end.EndsWithFunctionCall && string.IsNullOrEmpty(end.ReplyText) ? null : end.ReplyText;

        // While an operator holds the conversation the bot did not answer: only the user's message is stored (what the
        // user was shown at the crisis level is a notice, not a turn); the operator's replies are stored as theirs.
        if (turn.Report.ReplySource == ReplySource.RelayedToOperator)
        {
            reply = null;
        }

        return storeUser || reply is not null
            ? AppendAsync(turn.Options, turn.Report, storeUser ? turn.LastUserText : null, received.At, received.Timestamp, reply)
            : default;
    }

    private async ValueTask AppendAsync(ChatOptions options, TurnReport report, string? userText, DateTimeOffset received, long started, string? reply)
    {
        EmpathyKitTelemetry.TurnDuration.Record(
            _time.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("reply_source", report.ReplySource.ToString()));
        try
        {
            RiskLevel risk = report.Crisis?.Level ?? RiskLevel.None;
            IReadOnlyList<CrisisCategory> categories = report.Crisis?.Categories ?? [];
            var entries = new List<TranscriptEntry>(2);
            if (userText is not null)
            {
                (string storedUser, bool userRedacted) = _storeOriginal ? (userText, false)
                    : report.Redaction?.RedactedText is { } redacted ? (redacted, true)
                    : await RedactOrKeepAsync(report, userText).ConfigureAwait(false);
                entries.Add(new TranscriptEntry(TranscriptRole.User, storedUser, received, risk, categories) { IsRedacted = userRedacted });
            }

            if (reply is not null)
            {
                // The reply as the model wrote it (placeholders, not the user's values) counts as redacted; a reply the
                // pipeline wrote itself (crisis reply, fallback) is redacted again when read back, as before.
                bool replyRedacted = !_storeOriginal && report.RedactedReply is not null;
                string storedReply = replyRedacted ? report.RedactedReply! : reply;
                entries.Add(new TranscriptEntry(TranscriptRole.Assistant, storedReply, _time.GetUtcNow(), risk, categories) { IsRedacted = replyRedacted });
            }

            TranscriptTarget target = options.GetTranscriptTarget() ?? new TranscriptTarget(TranscriptAddress.ForConversation(report.ConversationId!));

            // The append is not cancelled with the turn: a message the user sent is never dropped.
            TranscriptWriteReceipt receipt = await _log.AppendAsync(target.Address, entries, CancellationToken.None).ConfigureAwait(false);
            if (target.WaitForDurability)
            {
                await receipt.Durable.ConfigureAwait(false);
            }

            report.TranscriptWritten = true;
        }
#pragma warning disable CA1031 // A storage failure is logged and counted; the user still gets the reply.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            report.TranscriptWritten = false;
            Log.TranscriptAppendNotAccepted(_logger, ex.GetType().Name);
        }
    }

    private async ValueTask<(string Text, bool Redacted)> RedactOrKeepAsync(TurnReport report, string userText)
    {
        // The redaction stage did not run (a crisis reply or input limit answered first): redact here. If that fails
        // too, the original is kept rather than lost (and marked as not redacted); it is encrypted like everything in
        // the transcript.
        try
        {
            return ((await _redactor.RedactAsync(report.ConversationId!, userText).ConfigureAwait(false)).RedactedText, true);
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RedactionFailed(_logger, ex.GetType().Name);
            return (userText, false);
        }
    }

    private sealed record Received(DateTimeOffset At, long Timestamp);
}
