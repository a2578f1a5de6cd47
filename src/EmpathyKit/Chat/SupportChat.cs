using System.Runtime.CompilerServices;
using System.Text;
using EmpathyKit.Diagnostics;
using EmpathyKit.Pipeline;
using EmpathyKit.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Chat;

/// <summary>
/// The turnkey façade: loads the conversation's history from the encrypted transcript, sanitises the message, runs the
/// pipeline, and returns the reply with its report. Bad input and pipeline failures never throw to the host.
/// </summary>
internal sealed class SupportChat : ISupportChat
{
    internal const int MaxConversationIdLength = 128;

    internal const string EmptyReply = "I'm here whenever you're ready. What's on your mind?";

    internal const string FailureReply =
        "I'm sorry, something went wrong on my side and I can't answer properly right now. If you are in danger or thinking about harming yourself, please contact a crisis line or your local emergency number now.";

    private readonly IChatClient _pipeline;
    private readonly ITranscriptLog _transcripts;
    private readonly EmpathyKitOptions _options;
    private readonly ILogger _logger;

    public SupportChat(IChatClient pipeline, ITranscriptLog transcripts, EmpathyKitOptions options, ILogger logger)
    {
        _pipeline = pipeline;
        _transcripts = transcripts;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<SupportReply> SendAsync(string conversationId, string message, CancellationToken cancellationToken = default) =>
        SendAsync(conversationId, message, null, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SupportReplyUpdate> StreamAsync(string conversationId, string message, CancellationToken cancellationToken = default) =>
        StreamAsync(conversationId, message, null, cancellationToken);

    /// <inheritdoc />
    public async Task<SupportReply> SendAsync(string conversationId, string message, SupportTurnOptions? turn, CancellationToken cancellationToken = default)
    {
        ValidateConversationId(conversationId);
        (string text, TurnReport report) = Prepare(conversationId, message, turn);
        if (text.Length == 0)
        {
            return new SupportReply(EmptyReply, SupportReplyStatus.EmptyMessage, report);
        }

        TranscriptTarget target = Target(conversationId, turn);
        (List<ChatMessage> messages, RedactedHistory redacted) = await LoadHistoryAsync(target.Address, report, cancellationToken).ConfigureAwait(false);
        messages.Add(new ChatMessage(ChatRole.User, text));
        ChatOptions options = new ChatOptions().SetTurnReport(report).SetTranscriptTarget(target);
        RedactedHistory.Set(options, redacted);
        try
        {
            ChatResponse response = await _pipeline.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return new SupportReply(response.Text, StatusOf(report), report);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The façade never throws a pipeline failure at the host: the user gets a safe reply.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PipelineFailed(_logger, ex.GetType().Name);
            report.ReplySource = ReplySource.SafeFallback;
            return new SupportReply(FailureReply, SupportReplyStatus.Failed, report);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SupportReplyUpdate> StreamAsync(string conversationId, string message, SupportTurnOptions? turn, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ValidateConversationId(conversationId);
        (string text, TurnReport report) = Prepare(conversationId, message, turn);
        if (text.Length == 0)
        {
            yield return new SupportReplyUpdate(EmptyReply, new SupportReply(EmptyReply, SupportReplyStatus.EmptyMessage, report));
            yield break;
        }

        TranscriptTarget target = Target(conversationId, turn);
        (List<ChatMessage> messages, RedactedHistory redacted) = await LoadHistoryAsync(target.Address, report, cancellationToken).ConfigureAwait(false);
        messages.Add(new ChatMessage(ChatRole.User, text));
        ChatOptions options = new ChatOptions().SetTurnReport(report).SetTranscriptTarget(target);
        RedactedHistory.Set(options, redacted);
        var shown = new StringBuilder();
        IAsyncEnumerator<ChatResponseUpdate> updates = _pipeline.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool failed = false;
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // As in SendAsync: a failure becomes a safe reply.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.PipelineFailed(_logger, ex.GetType().Name);
                    failed = true;
                    break;
                }

                string delta = update.Text;
                if (delta.Length > 0)
                {
                    shown.Append(delta);
                    yield return new SupportReplyUpdate(delta, null);
                }
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        if (failed)
        {
            report.ReplySource = ReplySource.SafeFallback;
            string fallback = (shown.Length > 0 ? "\n\n" : string.Empty) + FailureReply;
            shown.Append(fallback);
            yield return new SupportReplyUpdate(fallback, new SupportReply(shown.ToString(), SupportReplyStatus.Failed, report));
            yield break;
        }

        yield return new SupportReplyUpdate(string.Empty, new SupportReply(shown.ToString(), StatusOf(report), report));
    }

    private static SupportReplyStatus StatusOf(TurnReport report) => report.ReplySource switch
    {
        ReplySource.InputLimit => SupportReplyStatus.MessageTooLong,
        ReplySource.RelayedToOperator => SupportReplyStatus.RelayedToOperator,
        _ => SupportReplyStatus.Answered,
    };

    private static (string Text, TurnReport Report) Prepare(string conversationId, string? message, SupportTurnOptions? turn)
    {
        if (turn?.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            throw new ArgumentException("SupportTurnOptions.Country must be a two-letter ISO 3166-1 code such as 'GB'.", nameof(turn));
        }

        string text = InputSanitizer.Sanitize(message ?? string.Empty, out bool changed);
        var report = new TurnReport { ConversationId = conversationId, InputSanitized = changed, Country = turn?.Country?.ToUpperInvariant() };
        return (text, report);
    }

    private static void ValidateConversationId(string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        if (conversationId.Length > MaxConversationIdLength)
        {
            throw new ArgumentException($"A conversation id is at most {MaxConversationIdLength} characters.", nameof(conversationId));
        }

        if (conversationId.Any(char.IsControl))
        {
            throw new ArgumentException("A conversation id must not contain control characters.", nameof(conversationId));
        }
    }

    private static TranscriptTarget Target(string conversationId, SupportTurnOptions? turn) =>
        new(new TranscriptAddress(turn?.TenantId ?? TranscriptAddress.DefaultTenant, turn?.SubjectId ?? conversationId, conversationId), turn?.WaitForTranscript ?? false);

    private ValueTask<(List<ChatMessage> Messages, RedactedHistory Redacted)> LoadHistoryAsync(TranscriptAddress address, TurnReport report, CancellationToken cancellationToken) =>
        TranscriptHistoryLoader.LoadAsync(_transcripts, address, _options.MaxHistoryMessages, report, _logger, cancellationToken);
}
