namespace EmpathyKit;

/// <summary>A piece of a streamed support reply.</summary>
/// <param name="TextDelta">Text to append to what the user sees so far.</param>
/// <param name="Completed">The whole reply, on the last update only; <see langword="null"/> before it.</param>
public sealed record SupportReplyUpdate(string TextDelta, SupportReply? Completed);
