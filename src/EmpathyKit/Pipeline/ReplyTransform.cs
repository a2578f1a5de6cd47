using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// A stage's per-turn transform of the reply. It is fed the reply's text in order, in whatever pieces it arrives (the
/// text contents of a complete reply, or of each streamed update), and returns what to show in its place; so the same
/// transform gives the same text on both paths as long as its output does not depend on where the pieces split.
/// </summary>
internal abstract class ReplyTransform
{
    /// <summary>Takes the next piece of the reply's text.</summary>
    /// <param name="text">The piece.</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>What to show now (possibly nothing, when held back), and whether the reply ends here.</returns>
    public abstract ValueTask<ReplyChunk> PushAsync(string text, CancellationToken cancellationToken);

    /// <summary>The reply has ended (and was not stopped by this transform): returns what is still to show.</summary>
    /// <param name="end">How the reply ended.</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>The rest to show (possibly nothing), and the reply's finish reason when this transform sets it.</returns>
    public virtual ValueTask<ReplyChunk> CompleteAsync(ReplyEnd end, CancellationToken cancellationToken) => new(new ReplyChunk(string.Empty));

    /// <summary>Rewrites a non-text content of the reply (a function call, an image); the default keeps it.</summary>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>The content to pass on.</returns>
    public virtual ValueTask<AIContent> TransformContentAsync(AIContent content, CancellationToken cancellationToken) => new(content);
}
