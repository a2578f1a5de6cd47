using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EmpathyKit;

/// <summary>
/// How a redactor's placeholders look: how one is written, how to find them in a text (a model's reply), how to parse
/// one, and how to tell one that is still arriving or was cut short. Part of the <see cref="IPiiRedactor"/> contract
/// (<see cref="IPiiRedactor.PlaceholderFormat"/>), so that the stages around a redactor (rehydration of the reply, the
/// output guard's leak check, the system prompt) recognise the placeholders that redactor writes.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Default"/> is the built-in format (<c>[PERSON_1]</c>, and <c>[PERSON:k1:3f9a0c21be]</c> for keyed
/// pseudonyms). A redactor that writes placeholders of its own derives from this class and returns an instance from
/// <see cref="IPiiRedactor.PlaceholderFormat"/>.
/// </para>
/// <para>
/// Implementations must be thread-safe and side-effect free. <see cref="Pattern"/> runs on model output, so it should
/// be linear or carry a match timeout; a timeout fails the stage that met it closed.
/// </para>
/// </remarks>
public abstract class PiiPlaceholderFormat
{
    /// <summary>Initializes the format.</summary>
    protected PiiPlaceholderFormat()
    {
    }

    /// <summary>Gets the built-in format: <c>[TYPE_n]</c> (<c>[PERSON_1]</c>), and <c>[TYPE:key:digest]</c> for pseudonyms.</summary>
    public static PiiPlaceholderFormat Default { get; } = new DefaultPiiPlaceholderFormat();

    /// <summary>Gets the text every placeholder starts with; not empty.</summary>
    /// <value>For <see cref="Default"/>: <c>[</c>.</value>
    public abstract string Opening { get; }

    /// <summary>Gets the text every placeholder ends with; not empty.</summary>
    /// <value>For <see cref="Default"/>: <c>]</c>.</value>
    public abstract string Closing { get; }

    /// <summary>Gets the greatest length of a placeholder; streaming holds back at most this many characters.</summary>
    /// <value>Default: 64.</value>
    public virtual int MaxLength => 64;

    /// <summary>Gets a pattern that matches one whole placeholder, and only placeholders.</summary>
    public abstract Regex Pattern { get; }

    /// <summary>Writes the placeholder for the <paramref name="number"/>th distinct value of a type in a conversation.</summary>
    /// <param name="type">The entity type (<see cref="PiiTypes"/>).</param>
    /// <param name="number">The value's number within its type, from 1.</param>
    /// <returns>The placeholder (<c>[PERSON_1]</c> for <see cref="Default"/>).</returns>
    public abstract string Format(string type, int number);

    /// <summary>Parses a whole placeholder.</summary>
    /// <param name="text">The text, which must be one placeholder and nothing else.</param>
    /// <param name="type">The entity type the placeholder stands for, when it is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a placeholder of this format.</returns>
    public abstract bool TryParse(string text, [NotNullWhen(true)] out string? type);

    /// <summary>
    /// Gets whether a text holds a placeholder cut short: the start of one that is never completed (a model that
    /// dropped the closing bracket, <c>[PERSON_1 said</c>), which would show redaction syntax to the user.
    /// </summary>
    /// <param name="text">The text (a sentence of a reply).</param>
    /// <returns><see langword="true"/> when it holds one. The base implementation returns <see langword="false"/>.</returns>
    public virtual bool ContainsPartial(string text) => false;

    /// <summary>
    /// Gets how much of a text that is still arriving (a streamed reply) can be passed on without splitting a
    /// placeholder: all of it, unless its end may be the start of a placeholder, which is then held back.
    /// </summary>
    /// <param name="text">The text received so far and not yet passed on.</param>
    /// <returns>
    /// The length of the prefix that can be passed on. The base implementation looks back at most
    /// <see cref="MaxLength"/> characters for <see cref="Opening"/> (or its start, at the very end) not followed by
    /// <see cref="Closing"/>; a format whose opening and closing are the same text should override it.
    /// </returns>
    public virtual int CompletePrefixLength(ReadOnlySpan<char> text)
    {
        string opening = Opening;
        string closing = Closing;
        int stop = Math.Max(0, text.Length - MaxLength);
        for (int i = text.Length - 1; i >= stop; i--)
        {
            ReadOnlySpan<char> rest = text[i..];
            if (closing.Length > 0 && rest.StartsWith(closing, StringComparison.Ordinal))
            {
                return text.Length;
            }

            if (opening.Length > 0
                && (rest.StartsWith(opening, StringComparison.Ordinal)
                    || (rest.Length < opening.Length && opening.AsSpan().StartsWith(rest, StringComparison.Ordinal))))
            {
                return i;
            }
        }

        return text.Length;
    }
}
