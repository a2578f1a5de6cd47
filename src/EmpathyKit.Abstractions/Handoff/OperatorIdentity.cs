namespace EmpathyKit;

/// <summary>An operator (a person on the host's team) as the host authenticated them.</summary>
/// <remarks>
/// The id goes into the audit log and the oversight store; the display name is what the user is shown ("you are now
/// talking with …"). Both are 1 to 128 characters without control characters.
/// </remarks>
public sealed record OperatorIdentity
{
    /// <summary>Initializes a new instance of the <see cref="OperatorIdentity"/> class.</summary>
    /// <param name="id">The operator's stable id (the host's user id, never an e-mail address it would not log).</param>
    /// <param name="displayName">The name the user is shown.</param>
    /// <exception cref="ArgumentException">A part is empty, too long or holds control characters.</exception>
    public OperatorIdentity(string id, string displayName)
    {
        Id = Check(id, nameof(id));
        DisplayName = Check(displayName, nameof(displayName)).Trim();
    }

    /// <summary>Gets the operator's id.</summary>
    public string Id { get; }

    /// <summary>Gets the name the user is shown.</summary>
    public string DisplayName { get; }

    private static string Check(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > 128 || value.Any(char.IsControl))
        {
            throw new ArgumentException("An operator id or display name is 1 to 128 characters without control characters.", name);
        }

        return value;
    }
}
