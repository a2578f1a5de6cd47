namespace EmpathyKit;

/// <summary>
/// An operator asked for something outside their privileges: reading, answering or changing a conversation that is
/// not assigned to them. A web host answers 403.
/// </summary>
public sealed class OperatorAccessException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OperatorAccessException"/> class.</summary>
    public OperatorAccessException()
        : this("The conversation is not assigned to this operator.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OperatorAccessException"/> class.</summary>
    /// <param name="message">What was refused (never message content).</param>
    public OperatorAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OperatorAccessException"/> class.</summary>
    /// <param name="message">What was refused.</param>
    /// <param name="innerException">The cause.</param>
    public OperatorAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A control change that the conversation's state does not allow (another operator claimed it first, it is not held,
/// it is closed), or that lost a race with another change. A web host answers 409.
/// </summary>
public sealed class ConversationControlException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ConversationControlException"/> class.</summary>
    public ConversationControlException()
        : this("The conversation's control state does not allow this.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationControlException"/> class.</summary>
    /// <param name="message">What was refused (never message content).</param>
    public ConversationControlException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConversationControlException"/> class.</summary>
    /// <param name="message">What was refused.</param>
    /// <param name="innerException">The cause.</param>
    public ConversationControlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
