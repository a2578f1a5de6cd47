namespace EmpathyKit;

/// <summary>Who wrote a transcript entry.</summary>
public enum TranscriptRole
{
    /// <summary>The person using the support bot.</summary>
    User,

    /// <summary>The bot.</summary>
    Assistant,
}
