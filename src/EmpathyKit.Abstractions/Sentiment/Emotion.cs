namespace EmpathyKit;

/// <summary>The emotions EmpathyKit's analyzers report, chosen for support conversations.</summary>
public enum Emotion
{
    /// <summary>Sadness, grief, feeling low.</summary>
    Sadness,

    /// <summary>Anxiety, fear, worry, panic.</summary>
    Anxiety,

    /// <summary>Anger, frustration, resentment.</summary>
    Anger,

    /// <summary>Loneliness, isolation, not being cared about.</summary>
    Loneliness,

    /// <summary>Hopelessness, no way out, no point.</summary>
    Hopelessness,

    /// <summary>Shame and guilt, feeling a burden or worthless.</summary>
    Shame,

    /// <summary>Overwhelm and exhaustion.</summary>
    Overwhelm,

    /// <summary>Joy, happiness, pride.</summary>
    Joy,

    /// <summary>Gratitude and thanks.</summary>
    Gratitude,

    /// <summary>Relief, calm after stress.</summary>
    Relief,

    /// <summary>No marked emotion.</summary>
    Neutral,

    /// <summary>Disgust or revulsion (Ekman's disgust).</summary>
    Disgust,

    /// <summary>Surprise, amazement or puzzlement (Ekman's surprise).</summary>
    Surprise,
}
