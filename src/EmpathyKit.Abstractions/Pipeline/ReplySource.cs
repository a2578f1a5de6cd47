namespace EmpathyKit;

/// <summary>Which part of the pipeline produced the reply the user sees.</summary>
public enum ReplySource
{
    /// <summary>The provider (a model or the offline responder) answered, and the reply passed the guard.</summary>
    Provider,

    /// <summary>The crisis stage short-circuited with a safe crisis reply; the provider was not called.</summary>
    CrisisResponse,

    /// <summary>The message broke a documented limit (for example its length) and got a safe reply instead.</summary>
    InputLimit,

    /// <summary>The output guard replaced the provider's reply.</summary>
    GuardReplacement,

    /// <summary>A stage failed closed (redaction, provider error) and a safe fallback reply was given.</summary>
    SafeFallback,

    /// <summary>
    /// An operator holds the conversation: the message was assessed, stored and passed to them, and the bot did not answer
    /// (the reply is empty, or at the short-circuit level the crisis lines).
    /// </summary>
    RelayedToOperator,

    /// <summary>The user asked for a person, and the reply says one was asked for (or, with hand-over off, that none is available).</summary>
    HumanRequested,
}
