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
}
