namespace EmpathyKit.Escalation.Storage;

/// <summary>
/// Implemented by a transcript store that can keep the escalation outbox in its own database (the built-in SQLite,
/// PostgreSQL and in-memory stores do). A pipeline whose transcript store implements it, and which was given no
/// escalation store of its own, keeps its outbox there.
/// </summary>
public interface IEscalationStoreSource
{
    /// <summary>Opens the escalation store kept beside the transcripts.</summary>
    /// <returns>The store; the transcript store owns it and disposes it with itself.</returns>
    IEscalationStore GetEscalationStore();
}
