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

    /// <summary>Gets or sets the minimum score an entity needs to be redacted, for types without their own threshold.</summary>
    /// <value>Default: 0.5. Between 0 and 1.</value>
    [Range(0.0, 1.0)]
    public double DefaultThreshold { get; set; } = 0.5;

    /// <summary>Gets per-type minimum scores (for example <c>PHONE</c> → 0.7), overriding <see cref="DefaultThreshold"/>.</summary>
    /// <value>Default: empty.</value>
    public IDictionary<string, double> Thresholds { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets numbers that must never be redacted, in addition to the built-in crisis and emergency numbers.</summary>
    /// <value>Default: empty.</value>
    public IList<string> AllowList { get; } = [];
}
