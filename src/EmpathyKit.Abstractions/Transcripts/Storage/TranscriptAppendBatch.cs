namespace EmpathyKit.Transcripts.Storage;

/// <summary>One conversation's append: the store calls <see cref="Seal"/> with the locked head and writes what it returns.</summary>
/// <param name="Tenant">The tenant pseudonym.</param>
/// <param name="Subject">The subject pseudonym.</param>
/// <param name="Conversation">The conversation pseudonym.</param>
/// <param name="SubjectKeyId">The data key the records are sealed under; the store refuses the append if the subject's key is no longer this one (an erasure came first).</param>
/// <param name="Seal">Seals the records after the given head (<see langword="null"/> for a new conversation); pure CPU, called inside the store's transaction.</param>
/// <param name="Audit">The audit entry to write with it.</param>
public sealed record TranscriptAppendBatch(string Tenant, string Subject, string Conversation, Guid SubjectKeyId, Func<ConversationHead?, SealedAppend> Seal, AuditDraft Audit);
