namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// What the construct rules found in one user turn, without its text: the rung and level, categories, signals and
/// construct names, the facts conversation memory needs (risk, distress, a means question, a stated age), and the
/// turn's hashed model features. Cached per turn so that an earlier turn is analysed once, not on every later turn.
/// </summary>
internal sealed class TurnAnalysis
{
    public RiskLevel Level { get; set; }

    public CrisisRung Rung { get; set; }

    public List<CrisisCategory> Categories { get; } = [];

    public SortedSet<string> Signals { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Constructs { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets whether any risk was found that was not denied, framed or idiomatic (memory counts it as distress).</summary>
    public bool HasRisk { get; set; }

    /// <summary>Gets or sets whether distress or a stressor was named (hopelessness, a job lost, a break-up).</summary>
    public bool HasDistress { get; set; }

    /// <summary>Gets or sets whether the turn asks about a means or method without a neutral frame.</summary>
    public bool SeeksMeans { get; set; }

    /// <summary>Gets or sets whether the turn names a means (pills, a bridge, a rope) outside a neutral frame.</summary>
    public bool NamesMeans { get; set; }

    /// <summary>Gets or sets whether the writer tells of a symptom of their own now ("chest pain", "can't breathe"), an emergency when something was taken.</summary>
    public bool Symptom { get; set; }

    /// <summary>Gets or sets whether the writer stated an age under 18.</summary>
    public bool Minor { get; set; }

    /// <summary>Gets or sets the turn's hashed model features (context-free).</summary>
    public int[] Features { get; set; } = [];

    public void Raise(RiskLevel level, CrisisRung rung, CrisisCategory category, params string[] signals)
    {
        HasRisk |= level >= RiskLevel.Moderate || rung is not (CrisisRung.None or CrisisRung.PastOrDenied);
        if (level > Level || (level == Level && rung > Rung && Level > RiskLevel.None))
        {
            if (level > Level)
            {
                Categories.Remove(category);
                Categories.Insert(0, category);
            }

            Level = level;
            Rung = rung;
        }

        if (!Categories.Contains(category))
        {
            Categories.Add(category);
        }

        foreach (string s in signals)
        {
            Signals.Add(s);
        }
    }
}
