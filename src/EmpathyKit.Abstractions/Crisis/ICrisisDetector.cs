namespace EmpathyKit;

/// <summary>Assesses the crisis risk of a user's message in the context of the conversation.</summary>
/// <remarks>
/// Implementations are thread-safe and see raw text in-process. Callers treat an exception as
/// <see cref="CrisisAssessment.DetectorFailure"/> (fail safe), never as no risk.
/// </remarks>
public interface ICrisisDetector
{
    /// <summary>Assesses one message.</summary>
    /// <param name="input">The message and its earlier user turns.</param>
    /// <param name="cancellationToken">Cancels the assessment.</param>
    /// <returns>The graded assessment with the signals that produced it.</returns>
    ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default);
}
