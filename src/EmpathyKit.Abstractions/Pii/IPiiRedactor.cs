namespace EmpathyKit;

/// <summary>
/// Replaces personal data with numbered, typed placeholders that are stable within a conversation
/// (<c>[PERSON_1]</c>), and turns placeholders in a reply back into the user's own values.
/// </summary>
/// <remarks>
/// <para>The placeholder map lives in memory per conversation with an expiry; it is never logged or stored in plaintext.</para>
/// <para>
/// How the placeholders look is part of the contract (<see cref="PlaceholderFormat"/>): the pipeline finds them in the
/// model's reply, removes any the redactor did not turn back into a value, holds back a partial one while streaming,
/// lets the output guard check the reply for placeholders the model was never given, and shows the model an example,
/// all in the format the configured redactor reports.
/// </para>
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

    /// <summary>Gets how this redactor's placeholders look, so that the stages around it recognise them.</summary>
    /// <value>
    /// Default: <see cref="PiiPlaceholderFormat.Default"/> (<c>[PERSON_1]</c>). A redactor that writes placeholders of
    /// another form must return its own format, or its placeholders are not found in replies (not removed when unknown,
    /// not checked by the guard).
    /// </value>
    PiiPlaceholderFormat PlaceholderFormat => PiiPlaceholderFormat.Default;
}
