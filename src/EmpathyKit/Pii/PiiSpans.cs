namespace EmpathyKit.Pii;

/// <summary>Resolution of overlapping entities.</summary>
internal static class PiiSpans
{
    /// <summary>
    /// Merges overlapping entities into their union, so no part of either is left visible: the merged entity takes the
    /// type, score, rule and context of the higher-scored (then longer) one; overlaps of the same type simply merge.
    /// </summary>
    /// <param name="entities">Entities in any order (the list is sorted in place).</param>
    /// <returns>Non-overlapping entities ordered by start.</returns>
    public static List<PiiEntity> ResolveOverlaps(List<PiiEntity> entities)
    {
        entities.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var merged = new List<PiiEntity>(entities.Count);
        foreach (PiiEntity next in entities)
        {
            if (merged.Count > 0 && next.Start < merged[^1].End)
            {
                PiiEntity current = merged[^1];
                bool nextWins = next.Score > current.Score || (next.Score == current.Score && next.Length > current.Length);
                PiiEntity winner = nextWins ? next : current;
                merged[^1] = winner with { Start = current.Start, End = Math.Max(current.End, next.End) };
                continue;
            }

            merged.Add(next);
        }

        return merged;
    }
}
