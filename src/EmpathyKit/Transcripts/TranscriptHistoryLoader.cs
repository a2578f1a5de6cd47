using EmpathyKit.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Reads a conversation's earlier turns back from the transcript as chat messages, for the façade and for the pipeline
/// called by conversation id. Never throws a storage failure: without history the turn still runs, and the report says so.
/// </summary>
internal static class TranscriptHistoryLoader
{
    /// <summary>The author name an operator's turn carries in the history the model sees.</summary>
    internal const string OperatorAuthorName = "operator";

    /// <summary>Reads at most <paramref name="maxMessages"/> earlier messages; sets the report's turn index and history flags.</summary>
    /// <param name="transcripts">The transcript log.</param>
    /// <param name="address">The conversation.</param>
    /// <param name="maxMessages">The history window (<see cref="EmpathyKitOptions.MaxHistoryMessages"/>).</param>
    /// <param name="report">The turn's report.</param>
    /// <param name="logger">The logger (content-free lines only).</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>The earlier messages, oldest first, and which of them hold redacted text.</returns>
    public static async ValueTask<(List<ChatMessage> Messages, RedactedHistory Redacted)> LoadAsync(
        ITranscriptLog transcripts, TranscriptAddress address, int maxMessages, TurnReport report, ILogger logger, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>();
        var redacted = new RedactedHistory();
        try
        {
            TranscriptHistory read = await transcripts.ReadHistoryAsync(address, maxMessages, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<TranscriptEntry> history = read.Entries;
            if (read.UnreadableRecords > 0)
            {
                // Read around, never silently: the host is told on the report, operators by the log line and metric.
                report.UnreadableHistoryRecords = read.UnreadableRecords;
                Log.HistoryReadAround(logger, read.UnreadableRecords);
                EmpathyKitTelemetry.HistoryGaps.Add(read.UnreadableRecords);
            }

            foreach (TranscriptEntry entry in history)
            {
                // Feedback is for operators and reviews, never the model.
                if (entry.Role == TranscriptRole.Feedback)
                {
                    continue;
                }

                // An operator's turn is the conversation's side, so it is an assistant message to the model, named as a person's.
                var message = new ChatMessage(entry.Role == TranscriptRole.User ? ChatRole.User : ChatRole.Assistant, entry.Text);
                if (entry.Role == TranscriptRole.Operator)
                {
                    message.AuthorName = OperatorAuthorName;
                }

                messages.Add(message);
                if (entry.IsRedacted)
                {
                    redacted.Add(message);
                }
            }

            // Counted over the loaded window: a conversation longer than the window is never taken for a first turn.
            report.TurnIndex = history.Count(e => e.Role == TranscriptRole.User) + (history.Count + read.UnreadableRecords >= maxMessages && maxMessages > 0 ? 1 : 0);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Without history the turn still runs (crisis memory is reduced; the disclosure is shown again).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HistoryReadFailed(logger, ex.GetType().Name);
            EmpathyKitTelemetry.HistoryFailures.Add(1, new KeyValuePair<string, object?>("exception", ex.GetType().Name));
            report.HistoryUnavailable = true;
            messages.Clear();
            redacted = new RedactedHistory();
        }

        return (messages, redacted);
    }
}
