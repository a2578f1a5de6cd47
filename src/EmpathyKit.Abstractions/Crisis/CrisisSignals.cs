namespace EmpathyKit;

/// <summary>
/// Names of the signals a crisis detector reports in <see cref="CrisisAssessment.Signals"/>, so that every level
/// decision can be explained and tested without loose strings.
/// </summary>
public static class CrisisSignals
{
    /// <summary>The person writing speaks about themselves.</summary>
    public const string FirstPerson = "first_person";

    /// <summary>The risk concerns someone other than the person writing.</summary>
    public const string OtherPerson = "other_person";

    /// <summary>A risk phrase was negated or denied ("I would never …").</summary>
    public const string Negated = "negated";

    /// <summary>A risk phrase refers to the past and is framed as resolved.</summary>
    public const string Past = "past";

    /// <summary>Active wish or intent to die.</summary>
    public const string ActiveIdeation = "active_ideation";

    /// <summary>Passive wish to be dead, burdensomeness, not wanting to wake up.</summary>
    public const string PassiveIdeation = "passive_ideation";

    /// <summary>Self-harm urges or acts.</summary>
    public const string SelfHarm = "self_harm";

    /// <summary>A means or method was named (pills, heights, rope, firearm …).</summary>
    public const string Means = "means";

    /// <summary>A means is within reach, ready or being gathered ("the pills in front of me", "saving up my tablets").</summary>
    public const string MeansAtHand = "means_at_hand";

    /// <summary>A plan or decision was stated.</summary>
    public const string Plan = "plan";

    /// <summary>A stated intention or decision to act ("I'm going to", "I've decided to").</summary>
    public const string Intent = "intent";

    /// <summary>A time frame close to now ("tonight", "right now").</summary>
    public const string TimeBound = "time_bound";

    /// <summary>Something was already taken or done (ingestion, attempt in progress).</summary>
    public const string Ingestion = "ingestion";

    /// <summary>Distress cues (hopelessness, exhaustion, entrapment) without a self-harm reference.</summary>
    public const string Distress = "distress";

    /// <summary>Risk carried over from earlier turns of the conversation.</summary>
    public const string ConversationMemory = "conversation_memory";

    /// <summary>An idiom or homonym matched and was set aside ("this commute is killing me").</summary>
    public const string IdiomIgnored = "idiom_ignored";

    /// <summary>The detector failed; the assessment is high by the fail-safe rule.</summary>
    public const string DetectorError = "detector_error";
}
