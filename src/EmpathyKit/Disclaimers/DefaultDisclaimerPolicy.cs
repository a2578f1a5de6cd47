using EmpathyKit.Crisis;

namespace EmpathyKit.Disclaimers;

/// <summary>
/// The built-in disclaimer policy: the AI disclosure on the first turn and every
/// <see cref="DisclaimerOptions.DisclosureInterval"/> turns, and crisis resources whenever risk is moderate or above.
/// </summary>
internal sealed class DefaultDisclaimerPolicy : IDisclaimerPolicy
{
    private readonly DisclaimerOptions _options;
    private readonly string _crisisResources;

    public DefaultDisclaimerPolicy(DisclaimerOptions options, CrisisDirectory directory, string? country)
    {
        _options = options;
        CrisisDirectoryEntry entry = directory.Find(country);
        _crisisResources = options.CrisisResources
            .Replace("{line}", CrisisReplyBuilder.DescribeLines(entry), StringComparison.Ordinal)
            .Replace("{emergency}", entry.EmergencyNumber, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public IReadOnlyList<Disclaimer> Select(DisclaimerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var disclaimers = new List<Disclaimer>(2);
        bool disclose = context.TurnIndex == 0 || (_options.DisclosureInterval > 0 && context.TurnIndex % _options.DisclosureInterval == 0);
        if (disclose)
        {
            disclaimers.Add(new Disclaimer(DisclaimerKinds.AiDisclosure, _options.AiDisclosure));
        }

        if (context.Risk >= RiskLevel.Moderate)
        {
            disclaimers.Add(new Disclaimer(DisclaimerKinds.CrisisResources, _crisisResources));
        }

        return disclaimers;
    }
}
