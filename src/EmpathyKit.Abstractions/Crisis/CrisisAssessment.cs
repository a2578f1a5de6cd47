namespace EmpathyKit;

/// <summary>
/// The result of a crisis assessment: a graded level, the categories it points to, and the signals that produced it.
/// </summary>
/// <param name="Level">The graded risk.</param>
/// <param name="Categories">The crisis categories, most relevant first; empty when <paramref name="Level"/> is none.</param>
/// <param name="Signals">The signals that fired (see <see cref="CrisisSignals"/>), so the decision explains itself.</param>
public sealed record CrisisAssessment(RiskLevel Level, IReadOnlyList<CrisisCategory> Categories, IReadOnlyList<string> Signals)
{
    /// <summary>Gets an assessment with no risk signal.</summary>
    public static CrisisAssessment NoRisk { get; } = new(RiskLevel.None, [], []);

    /// <summary>
    /// Gets the assessment used when a detector fails: high risk with the <see cref="CrisisSignals.DetectorError"/>
    /// signal. A detector that throws means "treat as at risk", never "allow".
    /// </summary>
    public static CrisisAssessment DetectorFailure { get; } =
        new(RiskLevel.High, [CrisisCategory.Distress], [CrisisSignals.DetectorError]);

    /// <summary>Gets whether this assessment reaches <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The level to compare with.</param>
    /// <returns><see langword="true"/> when <see cref="Level"/> is at or above <paramref name="threshold"/>.</returns>
    public bool Reaches(RiskLevel threshold) => Level >= threshold;
}
