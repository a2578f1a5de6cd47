namespace EmpathyKit.Pii;

/// <summary>A detector registered with <c>AddPiiDetector</c>, run beside the built-in one.</summary>
/// <param name="Detector">The detector.</param>
internal sealed record AdditionalPiiDetector(IPiiDetector Detector);
