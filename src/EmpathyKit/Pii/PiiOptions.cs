using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>Options of the PII redaction stage (configuration section <c>EmpathyKit:Pii</c>).</summary>
public sealed class PiiOptions
{
    /// <summary>Gets or sets how long a conversation's placeholder map is kept in memory after its last use.</summary>
    /// <value>Default: 2 hours. Between 1 minute and 7 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan PlaceholderLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets how many conversations' placeholder maps are held at most; the least recently used go first.</summary>
    /// <value>Default: 100,000. Between 1 and 10,000,000.</value>
    [Range(1, 10_000_000)]
    public int MaxConversations { get; set; } = 100_000;

    /// <summary>Gets numbers that must never be redacted, in addition to the built-in crisis and emergency numbers.</summary>
    /// <value>Default: empty.</value>
    public IList<string> AllowList { get; } = [];
}
