using Microsoft.Extensions.AI;

namespace EmpathyKit;

/// <summary>Where the pipeline writes a turn's transcript entries, and whether the turn waits until they are durable.</summary>
/// <param name="Address">Tenant, subject and conversation.</param>
/// <param name="WaitForDurability">Wait until the entries are durable before the turn returns (otherwise they are queued).</param>
public sealed record TranscriptTarget(TranscriptAddress Address, bool WaitForDurability = false);

/// <summary>Typed access to the <see cref="TranscriptTarget"/> on chat options.</summary>
public static class TranscriptTargetExtensions
{
    private const string PropertyKey = "EmpathyKit.TranscriptTarget";

    /// <summary>Sets where the pipeline writes this turn's transcript. Without it, the conversation is its own subject in the default tenant.</summary>
    /// <param name="options">The options (which the caller owns).</param>
    /// <param name="target">The target.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions SetTranscriptTarget(this ChatOptions options, TranscriptTarget target)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        (options.AdditionalProperties ??= [])[PropertyKey] = target;
        return options;
    }

    /// <summary>Gets the transcript target set on chat options, if any.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The target, or <see langword="null"/>.</returns>
    public static TranscriptTarget? GetTranscriptTarget(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyKey, out object? value) == true ? value as TranscriptTarget : null;
}
