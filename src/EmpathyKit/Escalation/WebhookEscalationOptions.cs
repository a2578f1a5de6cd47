namespace EmpathyKit;

/// <summary>Where and how <see cref="WebhookEscalationHandler"/> sends escalations.</summary>
public sealed class WebhookEscalationOptions
{
    /// <summary>Gets or sets the receiver's URL (absolute; HTTPS unless it is loopback).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets the active signing secrets (<c>whsec_</c> + base64): one, or the old and the new during a rotation; every
    /// request is signed with each.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets or sets how long one attempt may take (default 10 seconds, at most 2 minutes).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets an operator link sent with each escalation, with <c>{conversation_id}</c> and
    /// <c>{escalation_id}</c> replaced (URL-escaped), for example <c>https://support.example/operator/{conversation_id}</c>.
    /// </summary>
    public string? OperatorLink { get; set; }
}
