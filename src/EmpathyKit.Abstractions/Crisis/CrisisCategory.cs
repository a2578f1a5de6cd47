namespace EmpathyKit;

/// <summary>The kind of crisis a turn points to.</summary>
public enum CrisisCategory
{
    /// <summary>Suicidal thoughts, intent or plans of the person writing.</summary>
    Suicidal,

    /// <summary>Self-harm without suicidal intent (cutting, burning, hitting).</summary>
    SelfHarm,

    /// <summary>Restriction, purging or requests that feed an eating disorder.</summary>
    EatingDisorder,

    /// <summary>Threats or intent to harm other people.</summary>
    HarmOthers,

    /// <summary>Disclosure of abuse suffered by the person writing.</summary>
    Abuse,

    /// <summary>A medical emergency (overdose taken, not breathing, chest pain).</summary>
    Medical,

    /// <summary>Concern for someone else who is at risk.</summary>
    ThirdParty,

    /// <summary>Emotional distress without a specific crisis.</summary>
    Distress,
}
