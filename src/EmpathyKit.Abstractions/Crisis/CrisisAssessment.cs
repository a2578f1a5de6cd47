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

    /// <summary>Gets the rung of the clinical ladder the assessment stands on (the highest rung found).</summary>
    /// <value><see cref="CrisisRung.None"/> when the detector does not grade rungs.</value>
    public CrisisRung Rung { get; init; }

    /// <summary>
    /// Gets the clinical constructs and mechanisms found (<c>passive_ideation</c>, <c>lethal_means</c>, <c>preparation</c>,
    /// <c>negated</c> …), so that the level explains itself. Names only, never the user's words.
    /// </summary>
    public IReadOnlyList<string> Constructs { get; init; } = [];

    /// <summary>Gets whether this assessment reaches <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The level to compare with.</param>
    /// <returns><see langword="true"/> when <see cref="Level"/> is at or above <paramref name="threshold"/>.</returns>
    public bool Reaches(RiskLevel threshold) => Level >= threshold;
}
