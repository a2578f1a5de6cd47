namespace EmpathyKit.Crisis;

/// <summary>Builds the safe crisis reply for an assessment from the host's templates and the crisis directory.</summary>
/// <remarks>The reply never contains method, means or location information and never promises secrecy.</remarks>
internal sealed class CrisisReplyBuilder
{
    private readonly CrisisOptions _options;
    private readonly CrisisDirectory _directory;
    private readonly string? _country;

    public CrisisReplyBuilder(CrisisOptions options, CrisisDirectory directory, string? country)
    {
        _options = options;
        _directory = directory;
        _country = country;
    }

    /// <summary>Builds the reply.</summary>
    /// <param name="assessment">The assessment that reached the short-circuit level.</param>
    /// <param name="country">The conversation's country, or <see langword="null"/> for the pipeline's.</param>
    /// <returns>The reply text.</returns>
    public string Build(CrisisAssessment assessment, string? country = null)
    {
        CrisisDirectoryEntry entry = _directory.Find(country ?? _country);
        CrisisCategory primary = assessment.Categories.Count > 0 ? assessment.Categories[0] : CrisisCategory.Suicidal;
        string template = primary switch
        {
            CrisisCategory.Medical => _options.MedicalReply,
            CrisisCategory.Abuse => _options.AbuseReply,
            CrisisCategory.HarmOthers => _options.HarmOthersReply,
            _ => _options.SelfRiskReply,
        };

        return Fill(template, entry);
    }

    /// <summary>Fills a template's <c>{line}</c> and <c>{emergency}</c> with the conversation's crisis lines (the hand-over texts).</summary>
    /// <param name="template">The template.</param>
    /// <param name="country">The conversation's country, or <see langword="null"/> for the pipeline's.</param>
    /// <returns>The text.</returns>
    public string Fill(string template, string? country) => Fill(template, _directory.Find(country ?? _country));

    private static string Fill(string template, CrisisDirectoryEntry entry) =>
        template
            .Replace("{line}", DescribeLines(entry), StringComparison.Ordinal)
            .Replace("{emergency}", entry.EmergencyNumber, StringComparison.Ordinal);

    /// <summary>Describes the entry's lines for a sentence ("Samaritans on 116 123 (call, free, 24/7)").</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The description.</returns>
    public static string DescribeLines(CrisisDirectoryEntry entry) =>
        string.Join(", or ", entry.Lines.Take(2).Select(l => $"{l.Name} on {l.Number} ({l.HowToReach})"));
}
