namespace EmpathyKit.Transcripts.Storage;

/// <summary>What <see cref="TranscriptAppendBatch.Seal"/> returns: the new head and the records to insert.</summary>
/// <param name="Head">The conversation's new head.</param>
/// <param name="Records">The sealed records.</param>
public sealed record SealedAppend(ConversationHead Head, IReadOnlyList<StoredRecord> Records);
