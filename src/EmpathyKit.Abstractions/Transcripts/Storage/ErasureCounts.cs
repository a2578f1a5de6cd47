namespace EmpathyKit.Transcripts.Storage;

/// <summary>What an erasure removed.</summary>
/// <param name="Conversations">Conversations removed.</param>
/// <param name="Records">Records removed.</param>
/// <param name="KeyDestroyed">Whether a data key existed and was destroyed.</param>
public sealed record ErasureCounts(int Conversations, long Records, bool KeyDestroyed);
