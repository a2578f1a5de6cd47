namespace EmpathyKit.Pii;

/// <summary>Resolution of overlapping entities, and search over spans in text order.</summary>
internal static class PiiSpans
{
    /// <summary>
    /// The index of the first item that starts at or after <paramref name="position"/> in a list sorted by start, or the
    /// list's count when none does: a binary search, so that a lookup per cue or per occurrence stays logarithmic (a
    /// linear search made texts of repeated cues or values quadratic).
    /// </summary>
    public static int FirstStartingAt<T>(IReadOnlyList<T> sorted, int position, Func<T, int> start)
    {
        int low = 0;
        int high = sorted.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (start(sorted[middle]) < position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// Resolves overlapping entities so that no part of any is left visible: overlaps of the same type merge into their
    /// union; a span that contains another of a different type wins (the larger span); a partial overlap of different
    /// types becomes their union, typed by the higher-scored (then longer) entity.
    /// </summary>
    /// <param name="entities">Entities in any order (the list is sorted in place).</param>
    /// <returns>Non-overlapping entities ordered by start.</returns>
    public static List<PiiEntity> ResolveOverlaps(List<PiiEntity> entities)
    {
        entities.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var merged = new List<PiiEntity>(entities.Count);
        foreach (PiiEntity next in entities)
        {
            if (merged.Count == 0 || next.Start >= merged[^1].End)
            {
                merged.Add(next);
                continue;
            }

            PiiEntity current = merged[^1];
            if (next.End <= current.End && next.Type != current.Type)
            {
                // Contained in the current span: the larger span wins.
                continue;
            }

            bool nextWins = next.Type != current.Type && (next.Score > current.Score || (next.Score == current.Score && next.Length > current.Length));
            PiiEntity winner = nextWins ? next : current with { Score = Math.Max(current.Score, next.Score) };
            merged[^1] = winner with { Start = current.Start, End = Math.Max(current.End, next.End) };
        }

        return merged;
    }
}
