namespace EmpathyKit;

/// <summary>Who answers a conversation: the bot, or a person on the host's team (see docs/oversight.md).</summary>
public enum ConversationControl
{
    /// <summary>The bot answers (the default for every conversation).</summary>
    Bot,

    /// <summary>The user asked for a person; the bot still answers until an operator takes the conversation over.</summary>
    HumanRequested,

    /// <summary>An operator holds the conversation: the bot does not answer, and the user's messages go to the operator.</summary>
    Human,

    /// <summary>An operator closed the conversation with an outcome; a later message is answered by the bot again.</summary>
    Closed,
}
