namespace EmpathyKit;

/// <summary>The valence of a conversation's user messages, turn by turn, and which way it is heading.</summary>
/// <param name="Valences">Valence (−1..1) of each user message in the loaded history window, oldest first; the last is this turn.</param>
/// <param name="Trend">
/// Least-squares slope of valence per turn over the window (negative: mood is falling); 0 with fewer than two turns.
/// </param>
/// <param name="Change">This turn's valence minus the mean of the earlier turns in the window; 0 when there are none.</param>
public sealed record MoodTrajectory(IReadOnlyList<double> Valences, double Trend, double Change)
{
    /// <summary>Gets whether the mood is falling: a trend below −0.1 per turn over at least three turns.</summary>
    public bool Declining => Valences.Count >= 3 && Trend < -0.1;
}
