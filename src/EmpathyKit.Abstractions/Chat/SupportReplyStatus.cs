namespace EmpathyKit;

/// <summary>How a support turn ended.</summary>
public enum SupportReplyStatus
{
    /// <summary>The message was processed and answered.</summary>
    Answered,

    /// <summary>The message was empty (or only whitespace and control characters); nothing was processed or stored.</summary>
    EmptyMessage,

    /// <summary>The message exceeded the maximum length; it was assessed for risk and stored, and the user was asked to shorten it.</summary>
    MessageTooLong,

    /// <summary>The pipeline failed; the user got a safe fallback reply and the failure was logged without content.</summary>
    Failed,

    /// <summary>
    /// An operator holds the conversation: the message was assessed for risk, stored and passed to them, and the bot did not
    /// answer. The text is empty, or at the crisis short-circuit level the crisis lines; the operator's reply arrives as a
    /// <see cref="ConversationNotice"/>.
    /// </summary>
    RelayedToOperator,
}
