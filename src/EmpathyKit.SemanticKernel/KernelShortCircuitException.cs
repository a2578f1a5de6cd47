namespace EmpathyKit.SemanticKernel;

/// <summary>
/// Thrown by the prompt filter in a streamed invocation to stop the model call: Semantic Kernel ignores a prompt render
/// filter's result when streaming and would call the model anyway. The function filter catches it and streams
/// <see cref="Reply"/> instead; a stream it cannot rewrite (an element type other than text, chat or kernel content)
/// ends with this exception, and the model is still not called.
/// </summary>
internal sealed class KernelShortCircuitException : Exception
{
    /// <summary>The message the exception carries (never the reply or the prompt).</summary>
    public const string Explanation = "EmpathyKit answered this streamed prompt itself (the crisis reply or the safe reply); the model was not called.";

    public KernelShortCircuitException()
        : base(Explanation)
    {
    }

    public KernelShortCircuitException(string message)
        : base(message)
    {
    }

    public KernelShortCircuitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the reply to show in place of the model's.</summary>
    public string Reply { get; init; } = string.Empty;

    /// <summary>Gets the crisis assessment when the reply is the crisis reply.</summary>
    public CrisisAssessment? Assessment { get; init; }
}
