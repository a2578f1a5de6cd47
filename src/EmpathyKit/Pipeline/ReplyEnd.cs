namespace EmpathyKit.Pipeline;

/// <summary>How the reply given to a <see cref="ReplyTransform"/> ended.</summary>
/// <param name="EndsWithFunctionCall">Whether it ended in a function call: a tool-call turn, whose final text comes later.</param>
internal readonly record struct ReplyEnd(bool EndsWithFunctionCall);
