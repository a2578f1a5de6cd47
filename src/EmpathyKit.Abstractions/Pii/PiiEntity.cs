namespace EmpathyKit;

/// <summary>A detected piece of personal data, with where it is and why it was detected.</summary>
/// <param name="Type">The entity type (see <see cref="PiiTypes"/>).</param>
/// <param name="Start">The start offset in the analysed text, in UTF-16 code units.</param>
/// <param name="End">The end offset (exclusive).</param>
/// <param name="Score">Confidence 0..1; a validated checksum gives 1.</param>
/// <param name="Rule">The recognizer rule that matched (for example <c>card_luhn</c>), never the matched value.</param>
/// <param name="Context">The context word near the match that raised its score (for example <c>phone</c>), if any.</param>
public readonly record struct PiiEntity(string Type, int Start, int End, double Score, string Rule, string? Context = null)
{
    /// <summary>Gets the length of the span in UTF-16 code units.</summary>
    public int Length => End - Start;
}
