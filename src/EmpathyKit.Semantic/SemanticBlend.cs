namespace EmpathyKit.Semantic;

/// <summary>How <see cref="SemanticCrisisModel"/>'s opinion joins the built-in fast model's (see <see cref="SemanticCrisisModel.Blend"/>).</summary>
/// <param name="FastWeight">The fast model's share of the log-odds, 0 to 1.</param>
/// <param name="ModerateThreshold">The blended moderate probability at or above which the level is at least moderate.</param>
/// <param name="HighThreshold">The blended high probability at or above which the level is at least high.</param>
/// <param name="Veto">
/// The blended high probability below which a rule's high finding is lowered to moderate (a check-in, no escalation),
/// where the construct detector allows it (never imminent, never an act in progress or done, never after earlier risk in
/// the conversation); 0: never. Chosen on dev as the highest that costs no dev recall.
/// </param>
internal sealed record SemanticBlend(double FastWeight, double ModerateThreshold, double HighThreshold, double Veto = 0)
{
    /// <summary>Blends two probabilities.</summary>
    /// <param name="fast">The fast model's.</param>
    /// <param name="semantic">The semantic model's.</param>
    /// <returns>The logistic of the weighted log-odds.</returns>
    public double Mix(double fast, double semantic) =>
        SemanticCrisisModel.Sigmoid((FastWeight * Logit(fast)) + ((1 - FastWeight) * Logit(semantic)));

    /// <summary>The log-odds of a probability, clamped away from 0 and 1.</summary>
    /// <param name="p">The probability.</param>
    /// <returns>The log-odds.</returns>
    public static double Logit(double p)
    {
        double q = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(q / (1 - q));
    }
}
