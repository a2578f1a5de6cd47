using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>Options of the PII redaction stage (configuration section <c>EmpathyKit:Pii</c>).</summary>
public sealed class PiiOptions
{
    /// <summary>Gets or sets how long a conversation's placeholder map is kept in memory after its last use.</summary>
    /// <value>Default: 2 hours. Between 1 minute and 7 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan PlaceholderLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Gets or sets how many conversations' placeholder maps are held at most; the least recently used go first. The cap
    /// is checked on each call; when it is passed, the least recently used tenth is evicted at once.
    /// </summary>
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

    /// <summary>Gets or sets how entities are replaced, for types without their own operator.</summary>
    /// <value>Default: <see cref="PiiOperator.Placeholder"/>.</value>
    public PiiOperator Operator { get; set; } = PiiOperator.Placeholder;

    /// <summary>Gets per-type operators (for example <c>CREDIT_CARD</c> → <see cref="PiiOperator.Mask"/>).</summary>
    /// <value>Default: empty.</value>
    public IDictionary<string, PiiOperator> Operators { get; } = new Dictionary<string, PiiOperator>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the base64 key (at least 256 bits) of the <see cref="PiiOperator.Pseudonym"/> operator. Keep it in a secret store.</summary>
    /// <value>Default: <see langword="null"/>; required when any operator is <see cref="PiiOperator.Pseudonym"/>.</value>
    public string? PseudonymKey { get; set; }

    /// <summary>Gets or sets the id of <see cref="PseudonymKey"/>, written into every pseudonym so keys can rotate.</summary>
    /// <value>Default: <c>k1</c>. 1–16 letters, digits, '-' or '_'.</value>
    [RegularExpression("^[A-Za-z0-9_-]{1,16}$")]
    public string PseudonymKeyId { get; set; } = "k1";

    /// <summary>Gets or sets how long an additional detector (for example an external NER service) may take before redaction fails closed.</summary>
    /// <value>Default: 2 seconds. Between 10 ms and 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ExternalDetectorTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets numbers that must never be redacted, in addition to the built-in crisis and emergency numbers.</summary>
    /// <value>Default: empty.</value>
    public IList<string> AllowList { get; } = [];

    /// <summary>Decodes <see cref="PseudonymKey"/>; validated at start (see <see cref="EmpathyKitOptionsRules"/>).</summary>
    /// <param name="key">The base64 key.</param>
    /// <returns>The key's bytes.</returns>
    /// <exception cref="InvalidOperationException">There is no key, or it is shorter than 256 bits.</exception>
    /// <exception cref="FormatException">The key is not base64.</exception>
    internal static byte[] DecodePseudonymKey(string? key)
    {
        byte[] bytes = Convert.FromBase64String(key ?? throw new InvalidOperationException("EmpathyKit:Pii:PseudonymKey is required for the Pseudonym operator."));
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException("EmpathyKit:Pii:PseudonymKey must be at least 256 bits.");
    }
}
