namespace EmpathyKit.Transcripts.Storage;

/// <summary>
/// A transcript store could not do what was asked because of its storage: full, read-only, damaged or unopenable.
/// <see cref="IsTransient"/> says whether trying again may help; the write queue retries only transient failures, so
/// a full or read-only database fails a turn's write at once instead of after every retry.
/// </summary>
public sealed class TranscriptStorageException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptStorageException"/> class.</summary>
    public TranscriptStorageException()
        : base("The transcript storage failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStorageException"/> class.</summary>
    /// <param name="message">The message (names the condition, never content or raw ids).</param>
    public TranscriptStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStorageException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptStorageException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="isTransient">Whether trying again may succeed.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptStorageException(string message, bool isTransient, Exception innerException)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Gets whether trying again may succeed (a lock held too long); false for a full, read-only or damaged store.</summary>
    public bool IsTransient { get; }
}
