namespace EmpathyKit;

/// <summary>
/// Named places where a host's own stage goes in the fixed pipeline order. A custom stage in a slot runs just inside
/// (after, on the way in) the built-in stage the slot is named after.
/// </summary>
public enum StageSlot
{
    /// <summary>Inside the transcript stage, outside escalation: sees raw text.</summary>
    AfterTranscript,

    /// <summary>Inside escalation, outside crisis detection: sees raw text.</summary>
    AfterEscalation,

    /// <summary>Inside crisis detection (turns that reach the crisis level never get here): sees raw text.</summary>
    AfterCrisis,

    /// <summary>Inside sentiment, outside redaction: sees raw text and the sentiment result.</summary>
    AfterSentiment,

    /// <summary>Inside redaction: sees redacted text only. The place for stages that send data out of the process.</summary>
    AfterRedaction,

    /// <summary>Inside the output guard: its reply is still checked by the guard.</summary>
    AfterOutputGuard,

    /// <summary>Innermost, just before the provider: sees redacted text; its reply is checked by the guard.</summary>
    BeforeProvider,
}
