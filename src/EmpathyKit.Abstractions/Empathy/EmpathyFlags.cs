namespace EmpathyKit;

/// <summary>
/// Anti-patterns the empathy scorer flags that the output guard does not block (quality, not safety). The scorer also
/// reports every <see cref="GuardViolations"/> name it finds.
/// </summary>
public static class EmpathyFlags
{
    /// <summary>The reply is stock phrases ("I hear you", "I'm sorry to hear that") with nothing specific to the person.</summary>
    public const string Generic = "generic";

    /// <summary>The reply repeats a sentence or most of the wording of one of the bot's earlier replies.</summary>
    public const string Repetitive = "repetitive";
}
