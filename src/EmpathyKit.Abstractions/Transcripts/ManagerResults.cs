using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit;

/// <summary>A conversation of a subject.</summary>
/// <param name="ConversationId">The conversation id (decrypted from its sealed label).</param>
/// <param name="Pseudonym">The conversation's pseudonym in storage.</param>
/// <param name="Records">How many records it holds.</param>
/// <param name="CreatedAt">When it was first written.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record TranscriptConversationInfo(string ConversationId, string Pseudonym, long Records, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Proof that a subject was erased, as written to the audit log.</summary>
/// <param name="ErasureId">The erasure's id.</param>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="ErasedAt">When.</param>
/// <param name="Conversations">Conversations removed.</param>
/// <param name="Records">Records removed.</param>
/// <param name="KeyDestroyed">Whether the data key existed and was destroyed.</param>
/// <param name="AuditSequence">The audit entry holding this certificate.</param>
/// <param name="AuditHash">That entry's hash (hex).</param>
public sealed record ErasureCertificate(Guid ErasureId, string Tenant, string Subject, DateTimeOffset ErasedAt, int Conversations, long Records, bool KeyDestroyed, long AuditSequence, string AuditHash)
{
    /// <summary>Gets how many of the subject's escalations (ids and assessments) were deleted from the outbox with their deliveries.</summary>
    public int Escalations { get; init; }

    /// <summary>
    /// Gets how many of the subject's escalations still had a delivery pending: they are kept until it finishes, so the
    /// alert still reaches a human, never raised again, and then deleted.
    /// </summary>
    public int EscalationsAwaitingDelivery { get; init; }

    /// <summary>Gets how many conversation control states (bot, human requested, human, closed, with operator ids and outcome) were deleted.</summary>
    public int ConversationStates { get; init; }
}

/// <summary>What a retention purge removed.</summary>
/// <param name="Conversations">Conversations touched.</param>
/// <param name="Records">Records deleted.</param>
public sealed record PurgeResult(int Conversations, long Records);

/// <summary>What a rotation did.</summary>
/// <param name="ActiveKeyId">The master key active after it.</param>
/// <param name="SubjectKeysRewrapped">Subject keys re-wrapped under it.</param>
public sealed record KeyRotationResult(Guid ActiveKeyId, int SubjectKeysRewrapped);

/// <summary>What a recovery from an escrow envelope did.</summary>
/// <param name="Recovered">Keys re-wrapped under the current root from the envelope (verified against the store).</param>
/// <param name="AlreadyUsable">Keys the current root could already unwrap (left as they were).</param>
/// <param name="RecoveredRevoked">
/// Master keys restored but revoked, because no subject key wrapped by them existed to prove the escrowed bytes genuine;
/// they wrapped nothing, so nothing is lost, and they can never wrap anything new.
/// </param>
/// <param name="Unrecoverable">Keys neither the root nor the envelope could provide (the data under them stays unreadable).</param>
public sealed record KeyRecoveryResult(int Recovered, int AlreadyUsable, int RecoveredRevoked, int Unrecoverable);

/// <summary>The lifecycle state of a master key.</summary>
public enum MasterKeyStatus
{
    /// <summary>Created, not yet active (it activates when the current key expires).</summary>
    Created,

    /// <summary>The key that wraps new subject keys.</summary>
    Active,

    /// <summary>Past its lifetime: still unwraps, wraps nothing new.</summary>
    Expired,

    /// <summary>Revoked: unwraps nothing.</summary>
    Revoked,

    /// <summary>Its wrapped bytes are destroyed.</summary>
    Destroyed,
}

/// <summary>A master key's public facts (never its bytes).</summary>
/// <param name="Id">The key id.</param>
/// <param name="Status">Its status now.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ActivatesAt">When it becomes (or became) active.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="RootKeyId">The root key that wraps it.</param>
public sealed record MasterKeyInfo(Guid Id, MasterKeyStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset ExpiresAt, string RootKeyId);

/// <summary>What went wrong with a chain.</summary>
public enum IntegrityProblemKind
{
    /// <summary>A record's previous-hash does not match the record before it (altered, inserted or removed).</summary>
    BrokenLink,

    /// <summary>Records are out of order or a sequence number repeats or is missing.</summary>
    Reordered,

    /// <summary>The chain ends before the checkpoint says it should (records removed from the end).</summary>
    Truncated,

    /// <summary>A checkpoint or audit MAC does not verify (the head or entry was altered).</summary>
    CheckpointInvalid,

    /// <summary>A record fails its key commitment or authentication tag.</summary>
    Undecryptable,

    /// <summary>The database's own integrity check reports damage (a page, an index or a constraint; see <see cref="ITranscriptStorageCheck"/>).</summary>
    StorageDamaged,
}

/// <summary>One integrity finding: the first problem in a chain.</summary>
/// <param name="Scope">The conversation pseudonym, or <c>audit</c>.</param>
/// <param name="Sequence">Where it was found.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Description">A content-free explanation.</param>
public sealed record IntegrityProblem(string Scope, long Sequence, IntegrityProblemKind Kind, string Description);

/// <summary>The result of an integrity check.</summary>
/// <param name="ChainsChecked">Conversations (or logs) checked.</param>
/// <param name="RecordsChecked">Records (or entries) checked.</param>
/// <param name="Problems">The first problem of each broken chain; empty when everything verifies.</param>
public sealed record IntegrityReport(int ChainsChecked, long RecordsChecked, IReadOnlyList<IntegrityProblem> Problems)
{
    /// <summary>Gets a value indicating whether everything verified.</summary>
    public bool IsValid => Problems.Count == 0;
}

/// <summary>A transcript record failed its integrity checks when read.</summary>
public sealed class TranscriptIntegrityException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TranscriptIntegrityException"/> class.</summary>
    public TranscriptIntegrityException()
        : base("A transcript record failed its integrity checks.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptIntegrityException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TranscriptIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TranscriptIntegrityException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TranscriptIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
