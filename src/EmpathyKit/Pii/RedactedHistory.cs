using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// The history messages of a turn that <see cref="Chat.SupportChat"/> read from the transcript in the form the
/// redactor wrote them (<see cref="TranscriptEntry.IsRedacted"/>), carried on the chat options so that the redaction
/// stage does not redact them a second time. Only this assembly can make one, so a caller cannot mark a message of
/// its own as already redacted; a message not in the set (any a stage replaced, any a host passed) is redacted.
/// </summary>
internal sealed class RedactedHistory
{
    private const string PropertyKey = "EmpathyKit.RedactedHistory";

    private readonly HashSet<ChatMessage> _messages = new(ReferenceEqualityComparer.Instance);

    public void Add(ChatMessage message) => _messages.Add(message);

    public bool Contains(ChatMessage message) => _messages.Contains(message);

    public static void Set(ChatOptions options, RedactedHistory history) => (options.AdditionalProperties ??= [])[PropertyKey] = history;

    public static RedactedHistory? Get(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyKey, out object? value) == true ? value as RedactedHistory : null;
}
