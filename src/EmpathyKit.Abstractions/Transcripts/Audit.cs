namespace EmpathyKit;

/// <summary>An entry of the transcript audit log: what happened, to which pseudonyms, never any message content.</summary>
/// <param name="Sequence">Its place in the log, from 0.</param>
/// <param name="At">When.</param>
/// <param name="Kind">What happened (see <see cref="AuditKinds"/>).</param>
/// <param name="Actor">Who asked (a host-supplied operator or service id), if known.</param>
/// <param name="Tenant">The tenant pseudonym, if any.</param>
/// <param name="Subject">The subject pseudonym, if any.</param>
/// <param name="Conversation">The conversation pseudonym, if any.</param>
/// <param name="Detail">Content-free detail as compact JSON (counts, ids, risk level).</param>
/// <param name="PreviousHash">The previous entry's hash (zeros for the first).</param>
/// <param name="Hash">HMAC-SHA256 under the store's integrity key over the previous hash and this entry.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Kind,
    string? Actor,
    string? Tenant,
    string? Subject,
    string? Conversation,
    string Detail,
    ReadOnlyMemory<byte> PreviousHash,
    ReadOnlyMemory<byte> Hash);

/// <summary>The kinds of audit entry EmpathyKit writes.</summary>
public static class AuditKinds
{
    /// <summary>Records were appended to a conversation.</summary>
    public const string Append = "transcript.append";

    /// <summary>A conversation was read through the management API.</summary>
    public const string Read = "transcript.read";

    /// <summary>A subject's conversations were listed.</summary>
    public const string List = "transcript.list";

    /// <summary>A subject's data was exported.</summary>
    public const string Export = "subject.export";

    /// <summary>A subject was erased; the detail is the erasure certificate.</summary>
    public const string Erase = "subject.erase";

    /// <summary>Expired records were purged from a conversation.</summary>
    public const string Purge = "retention.purge";

    /// <summary>A key was created.</summary>
    public const string KeyCreated = "key.created";

    /// <summary>A key was revoked.</summary>
    public const string KeyRevoked = "key.revoked";

    /// <summary>A key's wrapped bytes were destroyed.</summary>
    public const string KeyDestroyed = "key.destroyed";

    /// <summary>Master keys were rotated (subject keys re-wrapped).</summary>
    public const string KeyRotated = "key.rotated";

    /// <summary>A key was recovered from an escrow envelope and re-wrapped under the current root.</summary>
    public const string KeyRecovered = "key.recovered";

    /// <summary>Keys were escrowed to a certificate.</summary>
    public const string KeyEscrowed = "key.escrowed";

    /// <summary>Integrity was verified.</summary>
    public const string Verify = "integrity.verify";

    /// <summary>An operator claimed a conversation (the actor is the operator's id).</summary>
    public const string OperatorClaim = "operator.claim";

    /// <summary>An operator took a conversation over from the bot.</summary>
    public const string OperatorTakeOver = "operator.takeover";

    /// <summary>An operator's reply was sent to the user and stored.</summary>
    public const string OperatorReply = "operator.reply";

    /// <summary>An operator handed a conversation back to the bot.</summary>
    public const string OperatorHandBack = "operator.handback";

    /// <summary>An operator closed a conversation; the detail has the outcome code.</summary>
    public const string OperatorClose = "operator.close";

    /// <summary>An operator gave feedback on a bot reply; the detail has the verdict and rating, never the note.</summary>
    public const string OperatorFeedback = "operator.feedback";

    /// <summary>Feedback was exported for review (<c>empathykit feedback export</c>); the detail has the counts.</summary>
    public const string FeedbackExport = "feedback.export";

    /// <summary>An operator was refused a conversation not assigned to them (least privilege).</summary>
    public const string OperatorDenied = "operator.denied";

    /// <summary>A person acknowledged an escalation through <see cref="IEscalationOutbox"/>; the detail has the escalation's id.</summary>
    public const string EscalationAcknowledge = "escalation.acknowledge";

    /// <summary>A person resolved an escalation through <see cref="IEscalationOutbox"/>; the detail has the escalation's id and the outcome code.</summary>
    public const string EscalationResolve = "escalation.resolve";
}
