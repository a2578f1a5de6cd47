namespace EmpathyKit;

/// <summary>How a detected entity is replaced in the text that leaves the process.</summary>
public enum PiiOperator
{
    /// <summary>A numbered, typed placeholder stable within the conversation (<c>[PERSON_1]</c>); turned back into the value in replies.</summary>
    Placeholder,

    /// <summary>Every letter and digit replaced by <c>*</c>, separators kept; not reversible.</summary>
    Mask,

    /// <summary>The value removed; not reversible.</summary>
    Remove,

    /// <summary>
    /// A keyed HMAC-SHA256 pseudonym with the key id (<c>[PERSON:k1:3f9a0c21be]</c>): the same value always gives the same
    /// pseudonym under the same key, across conversations; turned back into the value in replies of the same conversation.
    /// </summary>
    Pseudonym,
}
