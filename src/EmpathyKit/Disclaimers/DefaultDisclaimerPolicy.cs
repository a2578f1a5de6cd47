using EmpathyKit.Crisis;
using EmpathyKit.Text;

namespace EmpathyKit.Disclaimers;

/// <summary>
/// The built-in disclaimer policy: the AI disclosure on the first turn and every
/// <see cref="DisclaimerOptions.DisclosureInterval"/> turns, a boundary note when the user asks for a diagnosis or
/// medication advice, and crisis resources whenever risk is moderate or above. Every text comes from
/// <see cref="DisclaimerOptions"/>, so hosts localise them through configuration.
/// </summary>
internal sealed class DefaultDisclaimerPolicy : IDisclaimerPolicy
{
    private readonly DisclaimerOptions _options;
    private readonly CrisisDirectory _directory;
    private readonly string? _country;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _crisisResources = new(StringComparer.OrdinalIgnoreCase);

    public DefaultDisclaimerPolicy(DisclaimerOptions options, CrisisDirectory directory, string? country)
    {
        _options = options;
        _directory = directory;
        _country = country;
    }

    private string CrisisResources(string? country)
    {
        CrisisDirectoryEntry entry = _directory.Find(country ?? _country);
        return _crisisResources.GetOrAdd(entry.CountryCode, _ => _options.CrisisResources
            .Replace("{line}", CrisisReplyBuilder.DescribeLines(entry), StringComparison.Ordinal)
            .Replace("{emergency}", entry.EmergencyNumber, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public IReadOnlyList<Disclaimer> Select(DisclaimerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var disclaimers = new List<Disclaimer>(3);
        bool disclose = context.TurnIndex == 0 || (_options.DisclosureInterval > 0 && context.TurnIndex % _options.DisclosureInterval == 0);
        if (disclose)
        {
            disclaimers.Add(new Disclaimer(DisclaimerKinds.AiDisclosure, _options.AiDisclosure));
        }

        if (!string.IsNullOrEmpty(context.UserText) && ReplyPatterns.AsksForDiagnosisOrMedication(context.UserText))
        {
            disclaimers.Add(new Disclaimer(DisclaimerKinds.Boundary, _options.Boundary));
        }

        if (context.Risk >= RiskLevel.Moderate)
        {
            disclaimers.Add(new Disclaimer(DisclaimerKinds.CrisisResources, CrisisResources(context.Country)));
        }

        return disclaimers;
    }
}
