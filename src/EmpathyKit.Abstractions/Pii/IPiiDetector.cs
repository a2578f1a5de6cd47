namespace EmpathyKit;

/// <summary>Finds personal data in text.</summary>
/// <remarks>Implementations are thread-safe and must not log or store the text or the values they find.</remarks>
public interface IPiiDetector
{
    /// <summary>Detects entities in <paramref name="text"/>.</summary>
    /// <param name="text">The text to analyse.</param>
    /// <param name="cancellationToken">Cancels the detection.</param>
    /// <returns>Non-overlapping entities ordered by start offset.</returns>
    ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default);
}
