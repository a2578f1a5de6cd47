namespace EmpathyKit;

/// <summary>Graded risk of a turn, ordered from no signal to danger now (C-SSRS concepts, not its wording).</summary>
public enum RiskLevel
{
    /// <summary>No risk signal: idioms, neutral chat.</summary>
    None = 0,

    /// <summary>Distress without a self-harm reference, past and resolved ideation, or denial with distress.</summary>
    Low = 1,

    /// <summary>Passive ideation, burdensomeness, self-harm urges, or concern for someone else.</summary>
    Moderate = 2,

    /// <summary>Active ideation, recent self-harm, means-seeking after distress, abuse disclosure, threats to others.</summary>
    High = 3,

    /// <summary>A plan with means or time, an attempt in progress, an ingestion that already happened, danger now.</summary>
    Imminent = 4,
}
