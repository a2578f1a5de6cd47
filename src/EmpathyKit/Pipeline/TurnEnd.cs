namespace EmpathyKit.Pipeline;

/// <summary>How a turn ended, as one stage saw it.</summary>
/// <param name="ReplyText">The reply's text as it left the stage (what was shown, when the inner call failed or the caller stopped reading early); <see langword="null"/> when nothing was, or when the stage does not keep it (<c>PipelineStage.KeepsReplyText</c>).</param>
/// <param name="EndsWithFunctionCall">Whether the reply ended in a function call (a tool-call turn).</param>
internal readonly record struct TurnEnd(string? ReplyText, bool EndsWithFunctionCall);
