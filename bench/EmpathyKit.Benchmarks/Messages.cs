namespace EmpathyKit.Benchmarks;

/// <summary>Realistic chat messages written for the benchmarks (no evaluation data).</summary>
internal static class Messages
{
    /// <summary>About 100 characters, with an e-mail address and distress.</summary>
    public const string Short = "I can't sleep and I feel so alone since the move. Email me at sam.lee@example.com if you can.";

    /// <summary>About 100 characters, with a phone number and a name (every recognizer runs).</summary>
    public const string ShortWithNumber = "Ring me on 07911 654321 tonight, Maria. I can't sleep and I feel so alone since the move to Leeds.";

    /// <summary>About 100 characters, neutral.</summary>
    public const string Neutral = "I went for a run this morning and then met a friend for coffee, which was nice for a change.";

    /// <summary>About 2 KB: a long message with a phone number and no crisis.</summary>
    public static readonly string Long = string.Join(' ', Enumerable.Repeat(
        "Work has been a lot lately and I keep going over every conversation in my head at night. My manager called me on 07911 654321 twice this week.",
        14));
}
