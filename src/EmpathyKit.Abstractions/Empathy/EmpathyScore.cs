namespace EmpathyKit;

/// <summary>
/// How empathetic a reply is, on the three EPITOME mechanisms (Sharma et al., 2020), each 0 (none), 1 (weak) or
/// 2 (strong), plus the anti-patterns it shows.
/// </summary>
/// <param name="EmotionalReaction">Warmth, compassion or concern about what the person feels (0–2).</param>
/// <param name="Interpretation">Understanding of the person's specific situation, reflected back (0–2).</param>
/// <param name="Exploration">An open, specific question about the person's experience (0–2).</param>
/// <param name="Flags">Anti-patterns found (<see cref="EmpathyFlags"/> and <see cref="GuardViolations"/> names); empty when none.</param>
/// <param name="Signals">Why each mechanism got its score (rule names such as <c>er:feeling_named</c>), never text.</param>
public sealed record EmpathyScore(int EmotionalReaction, int Interpretation, int Exploration, IReadOnlyList<string> Flags, IReadOnlyList<string> Signals)
{
    /// <summary>Gets the total, 0–6.</summary>
    public int Total => EmotionalReaction + Interpretation + Exploration;
}
