namespace EmpathyKit;

/// <summary>
/// Where a transcript entry belongs: the tenant (an organisation or app instance), the data subject (the person whose
/// data it is, the unit of export and erasure) and the conversation. Stored only as keyed pseudonyms.
/// </summary>
/// <remarks>
/// A conversation belongs to the subject that first wrote to it; writing or reading it as another subject fails.
/// Each part is 1 to <see cref="MaxLength"/> characters without control characters.
/// </remarks>
public sealed record TranscriptAddress
{
    /// <summary>The longest tenant, subject or conversation id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>The tenant used when a host names none.</summary>
    public const string DefaultTenant = "default";

    /// <summary>Initializes a new instance of the <see cref="TranscriptAddress"/> class.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subject">The data subject (for example the app's user id).</param>
    /// <param name="conversation">The conversation id.</param>
    /// <exception cref="ArgumentException">A part is empty, too long or holds control characters.</exception>
    public TranscriptAddress(string tenant, string subject, string conversation)
    {
        Tenant = ValidateId(tenant, nameof(tenant));
        Subject = ValidateId(subject, nameof(subject));
        Conversation = ValidateId(conversation, nameof(conversation));
    }

    /// <summary>Gets the tenant.</summary>
    public string Tenant { get; }

    /// <summary>Gets the data subject.</summary>
    public string Subject { get; }

    /// <summary>Gets the conversation id.</summary>
    public string Conversation { get; }

    /// <summary>Creates an address in the default tenant whose subject is the conversation itself (each conversation its own subject).</summary>
    /// <param name="conversation">The conversation id.</param>
    /// <returns>The address.</returns>
    public static TranscriptAddress ForConversation(string conversation) => new(DefaultTenant, conversation, conversation);

    /// <summary>Checks a tenant, subject or conversation id: 1 to <see cref="MaxLength"/> characters, no control characters.</summary>
    /// <param name="value">The id.</param>
    /// <param name="name">The parameter name for the exception.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The id breaks a rule.</exception>
    public static string ValidateId(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"A transcript {name} id is at most {MaxLength} characters.", name);
        }

        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"A transcript {name} id must not contain control characters.", name);
            }
        }

        return value;
    }
}
