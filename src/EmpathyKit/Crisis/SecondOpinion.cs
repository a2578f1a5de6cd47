namespace EmpathyKit.Crisis;

/// <summary>The second-opinion detector registered for a pipeline (with <c>AddCrisisSecondOpinion</c>).</summary>
/// <param name="Detector">The detector.</param>
internal sealed record SecondOpinion(ICrisisDetector Detector);
