namespace EmpathyKit;

/// <summary>Who wrote a transcript entry.</summary>
public enum TranscriptRole
{
    /// <summary>The person using the support bot.</summary>
    User,

    /// <summary>The bot.</summary>
    Assistant,

    /// <summary>A person on the host's team who took the conversation over (<see cref="TranscriptEntry.AuthorId"/> names them).</summary>
    Operator,

    /// <summary>
    /// An operator's feedback on a bot reply (<see cref="TranscriptEntry.Feedback"/>; the text is the note). Never shown to
    /// the user or the model.
    /// </summary>
    Feedback,
}
