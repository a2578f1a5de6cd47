namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// What a learned layer says of a turn, applied over the rules' level by <see cref="ConstructCrisisDetector"/>: raise
/// to high at or above <see cref="HighThreshold"/>, else to moderate at or above <see cref="ModerateThreshold"/>, else
/// lower a rule's high finding to moderate below <see cref="Veto"/> (0: never) where the finding allows it.
/// </summary>
/// <param name="Moderate">The probability of moderate or above.</param>
/// <param name="High">The probability of high or above.</param>
/// <param name="ModerateThreshold">The moderate threshold (above 1: never).</param>
/// <param name="HighThreshold">The high threshold (above 1: never).</param>
/// <param name="Veto">Below this high probability a rule's high finding is lowered to moderate; 0: never.</param>
/// <param name="Signal">The signal a raise adds besides <see cref="CrisisSignals.RiskModel"/>, or <see langword="null"/>.</param>
internal readonly record struct LearnedOpinion(double Moderate, double High, double ModerateThreshold, double HighThreshold, double Veto, string? Signal = null)
{
    /// <summary>The signals a raise adds.</summary>
    /// <param name="model">The fast model's signal.</param>
    /// <returns>The signals.</returns>
    public string[] Signals(string model) => Signal is null ? [model] : [model, Signal];
}
