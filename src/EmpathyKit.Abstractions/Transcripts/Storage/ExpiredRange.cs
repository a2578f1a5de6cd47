namespace EmpathyKit.Transcripts.Storage;

/// <summary>A conversation with records past their retention, up to and including <paramref name="ThroughSequence"/>.</summary>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="ThroughSequence">The highest expired sequence number.</param>
public sealed record ExpiredRange(string Conversation, long ThroughSequence);
