namespace EmpathyKit.Testing;

/// <summary>
/// A transcript store failed a case of <see cref="TranscriptStoreConformance"/>. The message names the case and the
/// property that did not hold (the expression, what it was and what was expected, or the exception the store threw,
/// which is the <see cref="Exception.InnerException"/>).
/// </summary>
public sealed class TranscriptStoreConformanceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptStoreConformanceException"/> class.</summary>
    public TranscriptStoreConformanceException()
        : base("The transcript store does not conform.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStoreConformanceException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TranscriptStoreConformanceException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStoreConformanceException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptStoreConformanceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStoreConformanceException"/> class for a failed case.</summary>
    /// <param name="caseName">The case that failed (one of <see cref="TranscriptStoreConformance.Cases"/>).</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptStoreConformanceException(string caseName, string message, Exception? innerException)
        : base(message, innerException)
    {
        Case = caseName;
    }

    /// <summary>Gets the case that failed, when known.</summary>
    public string? Case { get; }
}
