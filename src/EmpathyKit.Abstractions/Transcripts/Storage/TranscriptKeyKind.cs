namespace EmpathyKit.Transcripts.Storage;

/// <summary>What a store-level key protects.</summary>
public enum TranscriptKeyKind
{
    /// <summary>A master key: wraps subject data keys. Rotates.</summary>
    Master = 1,

    /// <summary>The index key: derives the pseudonym and integrity (checkpoint and audit) keys. Never rotates.</summary>
    Index = 2,
}
