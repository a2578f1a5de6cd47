using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>What a <see cref="ReplyTransform"/> shows for a piece of the reply.</summary>
/// <param name="Text">The text to show now.</param>
/// <param name="Stop">When set, the reply ends here with this finish reason: nothing more of the inner reply is shown.</param>
internal readonly record struct ReplyChunk(string Text, ChatFinishReason? Stop = null);
