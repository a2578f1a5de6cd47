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

    /// <summary>
    /// The message was too long to compose whole and was assessed on its bounded window: its start and end and every
    /// clause with a risk cue, with the clauses around them (docs/limits.md).
    /// </summary>
    public const string LongMessageWindow = "long_message_window";

    /// <summary>The detector failed; the assessment is high by the fail-safe rule.</summary>
    public const string DetectorError = "detector_error";

    /// <summary>A means or method was asked about (how many, how tall, where to buy) after distress or for oneself.</summary>
    public const string MeansSeeking = "means_seeking";

    /// <summary>Preparatory behaviour: a means acquired, a note or goodbye letters, possessions given away.</summary>
    public const string Preparation = "preparation";

    /// <summary>An act in progress (on the ledge, the rope around the neck).</summary>
    public const string ActInProgress = "act_in_progress";

    /// <summary>The writer stated an age under 18, in this message or earlier in the conversation.</summary>
    public const string Minor = "minor";

    /// <summary>Abuse, coercive control or a threat to the writer's life was disclosed.</summary>
    public const string Abuse = "abuse";

    /// <summary>A threat or intent to harm someone else.</summary>
    public const string HarmToOthers = "harm_to_others";

    /// <summary>The learned risk model raised the level above what the construct rules found.</summary>
    public const string RiskModel = "risk_model";

    /// <summary>
    /// A learned model (the fast model, or the semantic blend) judged a rule's high finding very unlikely and lowered it to
    /// moderate (still a check-in). It never lowers a finding below moderate, nor an imminent one, an act in progress or
    /// done, or a finding after earlier risk in the conversation.
    /// </summary>
    public const string RiskModelLowered = "risk_model_lowered";

    /// <summary>A construct was set aside because it was framed as fiction, research, news or a neutral purpose.</summary>
    public const string FrameIgnored = "frame_ignored";
}
