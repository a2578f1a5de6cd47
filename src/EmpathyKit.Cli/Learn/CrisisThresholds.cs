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

    /// <summary>
    /// Walks a grid in order and returns the last value whose cost stays within the budget (the walk stops at the first
    /// that does not), or <paramref name="none"/> when even the first costs too much. Every threshold and veto the crisis
    /// trainers choose on dev is chosen this way.
    /// </summary>
    /// <param name="grid">The values, ordered so that the cost does not fall along it.</param>
    /// <param name="cost">The cost of a value (a false-alarm rate, a recall lost).</param>
    /// <param name="budget">The most cost allowed.</param>
    /// <param name="none">The value when none is within the budget.</param>
    /// <returns>The chosen value.</returns>
    public static double LastWithin(IEnumerable<double> grid, Func<double, double> cost, double budget, double none)
    {
        double best = none;
        foreach (double v in grid)
        {
            if (cost(v) > budget)
            {
                break;
            }

            best = v;
        }

        return best;
    }

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
