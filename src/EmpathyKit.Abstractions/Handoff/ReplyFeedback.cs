namespace EmpathyKit;

/// <summary>What an operator thought of one of the bot's replies.</summary>
public enum FeedbackVerdict
{
    /// <summary>The reply helped.</summary>
    Helpful,

    /// <summary>Neither helpful nor harmful.</summary>
    Neutral,

    /// <summary>The reply could hurt the user (wrong, unsafe, dismissive): the cases a review looks at first.</summary>
    Harmful,
}

/// <summary>
/// An operator's feedback on one bot reply: a verdict, an optional empathy rating and an optional note. Stored encrypted
/// in the conversation's transcript (so it is exported and erased with the subject), and exported redacted for review
/// with <c>empathykit feedback export</c>.
/// </summary>
/// <param name="ReplyAt">The rated reply's <see cref="TranscriptEntry.CreatedAt"/> (an <see cref="TranscriptRole.Assistant"/> entry of the conversation).</param>
/// <param name="Verdict">Helpful, neutral or harmful.</param>
public sealed record ReplyFeedback(DateTimeOffset ReplyAt, FeedbackVerdict Verdict)
{
    /// <summary>The longest note accepted.</summary>
    public const int MaxNoteLength = 2_000;

    /// <summary>Gets how empathic the reply was, 1 (not at all) to 5 (very), if rated.</summary>
    public int? EmpathyRating { get; init; }

    /// <summary>Gets the operator's note (up to <see cref="MaxNoteLength"/> characters; stored redacted like every text).</summary>
    public string? Note { get; init; }
}
