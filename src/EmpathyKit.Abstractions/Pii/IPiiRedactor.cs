namespace EmpathyKit;

/// <summary>
/// Replaces personal data with numbered, typed placeholders that are stable within a conversation
/// (<c>[PERSON_1]</c>), and turns placeholders in a reply back into the user's own values.
/// </summary>
/// <remarks>
/// The placeholder map lives in memory per conversation with an expiry; it is never logged or stored in plaintext.
/// </remarks>
public interface IPiiRedactor
{
    /// <summary>Redacts <paramref name="text"/> for a conversation.</summary>
    /// <param name="conversationId">The conversation whose placeholder numbering applies.</param>
    /// <param name="text">The text to redact.</param>
    /// <param name="cancellationToken">Cancels the redaction.</param>
    /// <returns>The redacted text and the entities found.</returns>
    ValueTask<RedactionResult> RedactAsync(string conversationId, string text, CancellationToken cancellationToken = default);

    /// <summary>Replaces the conversation's placeholders in <paramref name="text"/> with the values they stand for.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="text">Text that may contain placeholders (for example a model's reply).</param>
    /// <returns>The text with known placeholders replaced; unknown placeholders are left as they are.</returns>
    string Rehydrate(string conversationId, string text);
}
