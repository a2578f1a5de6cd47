namespace EmpathyKit;

/// <summary>Scores how empathetic a reply is (0–6 on the EPITOME mechanisms) and flags anti-patterns.</summary>
/// <remarks>Implementations are pure, thread-safe and in-process, and must not log the text.</remarks>
public interface IEmpathyScorer
{
    /// <summary>Scores one reply.</summary>
    /// <param name="request">The reply and what it answers.</param>
    /// <returns>The score and flags.</returns>
    EmpathyScore Score(EmpathyScoreRequest request);
}
