namespace EmpathyKit.Tests.Infrastructure;

internal static class TranscriptTestExtensions
{
    /// <summary>Reads a conversation that is its own subject in the default tenant (what SupportChat writes without a subject).</summary>
    public static ValueTask<IReadOnlyList<TranscriptEntry>> ReadAsync(this ITranscriptLog log, string conversationId, int maxEntries) =>
        log.ReadAsync(TranscriptAddress.ForConversation(conversationId), maxEntries);
}
