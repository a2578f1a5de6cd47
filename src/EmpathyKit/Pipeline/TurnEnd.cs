namespace EmpathyKit.Pipeline;

/// <summary>How a turn ended, as one stage saw it.</summary>
/// <param name="ReplyText">The reply's text as it left the stage (what was shown, when streaming stopped early); <see langword="null"/> when nothing was, or when the stage does not keep it (<c>PipelineStage.KeepsReplyText</c>).</param>
/// <param name="Completed">Whether the reply completed (false: the inner call failed, or the caller stopped reading).</param>
/// <param name="Answered">Whether the stage answered the turn itself (directly, or through its pending decision).</param>
/// <param name="EndsWithFunctionCall">Whether the reply ended in a function call (a tool-call turn).</param>
internal readonly record struct TurnEnd(string? ReplyText, bool Completed, bool Answered, bool EndsWithFunctionCall);
