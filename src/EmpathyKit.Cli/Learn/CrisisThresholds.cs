using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Cli.Learn;

/// <summary>What both crisis trainers measure on development data while choosing thresholds.</summary>
internal static class CrisisThresholds
{
    /// <summary>The level a learned layer gives over a rule-based one: it may raise to moderate or high, and with a veto lower a lowerable high finding to moderate.</summary>
    /// <param name="baseLevel">The level without the learned layer.</param>
    /// <param name="moderate">The layer's probability of moderate or above.</param>
    /// <param name="high">The layer's probability of high or above.</param>
    /// <param name="moderateThreshold">The moderate head's threshold.</param>
    /// <param name="highThreshold">The high head's threshold.</param>
    /// <returns>The combined level.</returns>
    /// <param name="veto">Below this probability a rule's high finding is lowered to moderate (see <see cref="CrisisRiskModel.Veto"/>); 0: never.</param>
    /// <param name="lowerable">Whether the rules' finding may be lowered at all (the construct detector's exemptions).</param>
    public static RiskLevel Combined(RiskLevel baseLevel, double moderate, double high, double moderateThreshold, double highThreshold, double veto = 0, bool lowerable = false) =>
        high >= highThreshold && baseLevel < RiskLevel.High ? RiskLevel.High
        : moderate >= moderateThreshold && baseLevel < RiskLevel.Moderate ? RiskLevel.Moderate
        : CrisisRiskModel.Lowered(baseLevel, high, veto, lowerable);

    /// <summary>The share of a population that the predicate holds for (0 for an empty population).</summary>
    public static double Rate<T>(IEnumerable<T> items, Func<T, bool> population, Func<T, bool> hit)
    {
        int n = 0, k = 0;
        foreach (T item in items)
        {
            if (population(item))
            {
                n++;
                k += hit(item) ? 1 : 0;
            }
        }

        return n == 0 ? 0 : (double)k / n;
    }
}
