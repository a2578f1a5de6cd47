namespace EmpathyKit.Transcripts.Storage;

/// <summary>An audit entry before it is chained.</summary>
/// <param name="At">When.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Who asked, if known.</param>
/// <param name="Tenant">The tenant pseudonym, if any.</param>
/// <param name="Subject">The subject pseudonym, if any.</param>
/// <param name="Conversation">The conversation pseudonym, if any.</param>
/// <param name="Detail">Content-free detail as compact JSON.</param>
public sealed record AuditDraft(DateTimeOffset At, string Kind, string? Actor, string? Tenant, string? Subject, string? Conversation, string Detail);
