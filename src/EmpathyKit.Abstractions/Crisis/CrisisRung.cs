namespace EmpathyKit;

/// <summary>
/// Where an assessment stands on EmpathyKit's clinical ladder: the steps of the Columbia scale's screener (wish to be
/// dead, non-specific active thoughts, thoughts with a method, intent, plan, preparatory behaviour, an act in progress;
/// its concepts, not its wording), plus ingestion and medical emergencies, self-harm, eating disorders, abuse, harm to
/// others and concern for someone else. Each rung maps to a risk level (see <c>docs/crisis.md</c>).
/// </summary>
public enum CrisisRung
{
    /// <summary>No crisis construct.</summary>
    None = 0,

    /// <summary>Distress without a reference to death, self-harm or harm (hopelessness, defeat, loneliness): low.</summary>
    Distress,

    /// <summary>Past ideation or behaviour framed as resolved, or a denial: low.</summary>
    PastOrDenied,

    /// <summary>Feeling a burden on others ("they'd be better off without me"): moderate.</summary>
    Burdensomeness,

    /// <summary>A wish to be dead, not to wake up, to disappear for good: moderate.</summary>
    WishToBeDead,

    /// <summary>Non-specific active thoughts of suicide, without a method or intent: moderate.</summary>
    ActiveThoughts,

    /// <summary>Thoughts of suicide with a method, or a method or means sought (after distress, or for oneself): high.</summary>
    MethodThoughts,

    /// <summary>A wish or intention to act ("I want to kill myself", "I'm going to end it"): high.</summary>
    Intent,

    /// <summary>A plan: intent with a time, a place or a means ready: high, imminent with a time or means at hand.</summary>
    Plan,

    /// <summary>Preparatory behaviour: a means acquired or at hand, a note or goodbye letters, possessions given away: high.</summary>
    Preparation,

    /// <summary>An act in progress (on the ledge, the rope around the neck, the car running in the closed garage): imminent.</summary>
    ActInProgress,

    /// <summary>An overdose or poison already taken: imminent.</summary>
    Ingestion,

    /// <summary>A medical emergency now (not breathing, chest pain after taking something): imminent.</summary>
    MedicalEmergency,

    /// <summary>Urges or thoughts of self-harm without an act: moderate.</summary>
    SelfHarmUrge,

    /// <summary>Self-harm done, recent or ongoing: high.</summary>
    SelfHarm,

    /// <summary>Eating-disorder behaviour (restricting, purging, bingeing with distress): moderate.</summary>
    EatingDisorder,

    /// <summary>Seeking eating-disorder methods (how to purge, hide not eating, suppress hunger): high.</summary>
    EatingDisorderMethod,

    /// <summary>Coercive control by a partner or family member (money, phone, isolation): moderate.</summary>
    CoerciveControl,

    /// <summary>Physical or sexual abuse disclosed by the person writing: high.</summary>
    Abuse,

    /// <summary>Abuse disclosed by a child or teenager: imminent.</summary>
    ChildAbuse,

    /// <summary>A threat to the writer's life ("he said he'd kill me if I leave"): high.</summary>
    ThreatToLife,

    /// <summary>Thoughts of harming someone, without a target's plan or a weapon: moderate.</summary>
    HarmOthersThoughts,

    /// <summary>A threat to harm a specific person, or with a weapon or a time: high.</summary>
    HarmOthersThreat,

    /// <summary>Concern for someone else at risk: moderate.</summary>
    ThirdPartyConcern,

    /// <summary>Someone else at risk right now (they took pills, they are on the roof): imminent.</summary>
    ThirdPartyEmergency,

    /// <summary>A past suicide attempt, overdose or self-harm told as history and not as resolved (a risk factor): moderate.</summary>
    PastAttempt,
}
