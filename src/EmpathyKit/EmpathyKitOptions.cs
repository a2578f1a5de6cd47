using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EmpathyKit;

/// <summary>Options of one EmpathyKit pipeline (configuration section <c>EmpathyKit</c>), validated at start.</summary>
public sealed class EmpathyKitOptions
{
    /// <summary>Gets or sets the ISO 3166-1 alpha-2 country whose crisis lines and emergency number replies give.</summary>
    /// <value>Default: <see langword="null"/>, which uses the directory's fallback entry (findahelpline.com).</value>
    [RegularExpression("^[A-Za-z]{2}$", ErrorMessage = "EmpathyKit:Country must be a two-letter ISO 3166-1 code such as 'US' or 'GB'.")]
    public string? Country { get; set; }

    /// <summary>Gets or sets the longest user message processed, in UTF-16 code units. Longer messages are still assessed for crisis risk and stored, and the user is asked to shorten them.</summary>
    /// <value>Default: 4,000. Between 1 and 100,000.</value>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4_000;

    /// <summary>Gets or sets how many earlier messages (user and bot) are loaded from the transcript and passed on as history.</summary>
    /// <value>Default: 40. Between 0 and 1,000.</value>
    [Range(0, 1_000)]
    public int MaxHistoryMessages { get; set; } = 40;

    /// <summary>Gets or sets the risk level at or above which humans are alerted through the escalation handlers.</summary>
    /// <value>Default: <see cref="RiskLevel.High"/>.</value>
    public RiskLevel EscalationLevel { get; set; } = RiskLevel.High;

    /// <summary>Gets or sets whether the transcript keeps the user's original text instead of the redacted text (it is encrypted either way).</summary>
    /// <value>Default: <see langword="false"/> (redacted text is stored).</value>
    public bool StoreOriginalText { get; set; }

    /// <summary>Gets or sets the SQLite transcript database used when no other store is configured.</summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="EmpathyKitPaths.DefaultTranscriptDatabase"/>.</value>
    public string? TranscriptDatabasePath { get; set; }

    /// <summary>Gets the crisis stage options.</summary>
    [ValidateObjectMembers]
    public CrisisOptions Crisis { get; } = new();

    /// <summary>Gets the PII redaction options.</summary>
    [ValidateObjectMembers]
    public PiiOptions Pii { get; } = new();

    /// <summary>Gets the disclaimer options.</summary>
    [ValidateObjectMembers]
    public DisclaimerOptions Disclaimers { get; } = new();

    /// <summary>Gets the system prompt options (<c>EmpathyKit:Prompt</c>): how hosts extend the prompt a model receives.</summary>
    [ValidateObjectMembers]
    public PromptOptions Prompt { get; } = new();

    /// <summary>Gets the output guard and empathy scoring options (<c>EmpathyKit:Guard</c>).</summary>
    [ValidateObjectMembers]
    public GuardOptions Guard { get; } = new();

    /// <summary>Gets how the escalation outbox delivers: attempts, retries, backoff, leases (<c>EmpathyKit:Escalations</c>).</summary>
    [ValidateObjectMembers]
    public EscalationOptions Escalations { get; } = new();

    /// <summary>Gets human hand-over: whether a request for a person is passed to operators, and what the user is shown (<c>EmpathyKit:Handoff</c>).</summary>
    [ValidateObjectMembers]
    public HandoffOptions Handoff { get; } = new();

    /// <summary>Gets the encrypted transcript settings (<c>EmpathyKit:Transcripts</c>): retention, key rotation, the write queue.</summary>
    [ValidateObjectMembers]
    public TranscriptOptions Transcripts { get; } = new();
}
