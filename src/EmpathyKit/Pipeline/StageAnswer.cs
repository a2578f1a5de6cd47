using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>A reply a stage writes itself.</summary>
/// <param name="Text">The reply.</param>
/// <param name="FinishReason">Its finish reason.</param>
/// <param name="Source">What to record as the reply's source, or <see langword="null"/> to leave the report's.</param>
internal sealed record StageAnswer(string Text, ChatFinishReason FinishReason, ReplySource? Source);
