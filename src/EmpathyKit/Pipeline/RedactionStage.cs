using System.Runtime.CompilerServices;
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
/// Non-text contents (images, tool calls) are passed on unchanged.
/// </remarks>
internal sealed class RedactionStage : EmpathyStage
{
    internal const string FailClosedReply =
        "I'm sorry, something went wrong on my side and I couldn't process that message safely, so I didn't send it anywhere. Could you try saying it another way?";

    private const int MaxPlaceholderLength = 64;

    private readonly IPiiRedactor _redactor;
    private readonly ILogger _logger;

    public RedactionStage(IChatClient inner, IPiiRedactor redactor, ILogger logger)
        : base(inner, PipelineStageNames.Redaction)
    {
        _redactor = redactor;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        List<ChatMessage>? redacted = await RedactAllAsync(list, report, RedactedHistory.Get(options), cancellationToken).ConfigureAwait(false);
        if (redacted is null)
        {
            report.ReplySource = ReplySource.SafeFallback;
            return StageReply(FailClosedReply, report, ChatFinishReason.ContentFilter);
        }

        ChatResponse response = await base.GetResponseAsync(redacted, effective, cancellationToken).ConfigureAwait(false);
        string text = response.Text;
        report.RedactedReply = text;
        return ChatContentRewriter.WithText(response, Restore(report, text));
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        List<ChatMessage>? redacted = await RedactAllAsync(list, report, RedactedHistory.Get(options), cancellationToken).ConfigureAwait(false);
        if (redacted is null)
        {
            report.ReplySource = ReplySource.SafeFallback;
            yield return StageUpdate(FailClosedReply, ChatFinishReason.ContentFilter);
            yield break;
        }

        var raw = new StringBuilder();
        var pending = new StringBuilder();
        ChatResponseUpdate? last = null;
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(redacted, effective, cancellationToken).ConfigureAwait(false))
        {
            last = update;
            string text = update.Text;
            raw.Append(text);
            pending.Append(text);
            int safe = SafePrefixLength(pending);
            string emit = safe > 0 ? Restore(report, pending.ToString(0, safe)) : string.Empty;
            pending.Remove(0, safe);
            if (emit.Length > 0 || update.Contents.Any(c => c is not TextContent) || update.FinishReason is not null)
            {
                yield return ChatContentRewriter.WithText(update, emit);
            }
        }

        report.RedactedReply = raw.ToString();
        if (pending.Length > 0)
        {
            yield return new ChatResponseUpdate(last?.Role ?? ChatRole.Assistant, Restore(report, pending.ToString()));
        }
    }

    /// <summary>Turns placeholders back into the user's values and removes any that name no value.</summary>
    private string Restore(TurnReport report, string text)
    {
        string restored = PlaceholderRedactor.RemoveUnknownPlaceholders(_redactor.Rehydrate(report.ConversationId!, text), out bool leaked);
        if (leaked)
        {
            EmpathyKitTelemetry.GuardReplacements.Add(1, new KeyValuePair<string, object?>("violation", GuardViolations.LeakedPlaceholder));
        }

        return restored;
    }

    /// <summary>How much of the buffer can be emitted without splitting a placeholder that may still be arriving.</summary>
    private static int SafePrefixLength(StringBuilder pending)
    {
        for (int i = pending.Length - 1; i >= 0 && pending.Length - i <= MaxPlaceholderLength; i--)
        {
            if (pending[i] == ']')
            {
                return pending.Length;
            }

            if (pending[i] == '[')
            {
                return i;
            }
        }

        return pending.Length;
    }

    private async ValueTask<List<ChatMessage>?> RedactAllAsync(IReadOnlyList<ChatMessage> messages, TurnReport report, RedactedHistory? alreadyRedacted, CancellationToken cancellationToken)
    {
        try
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed: no redaction means the message does not leave.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RedactionFailed(_logger, ex.GetType().Name);
            CountFailure();
            return null;
        }
    }
}
