using System.Collections.Frozen;

namespace EmpathyKit.Pii;

/// <summary>
/// Numbers that are never redacted because they are public and matter clinically: emergency and crisis numbers
/// (988, 116 123, 111, 999, 911, 112, 741741 …), the numbers of the crisis directory, and any the host adds.
/// Compared by their digits, so "116 123" and "116123" are the same entry.
/// </summary>
internal sealed class PiiAllowList
{
    private static readonly string[] BuiltIn =
        ["988", "116123", "111", "999", "911", "112", "741741", "85258", "000", "15", "119", "192", "995", "024", "113", "1737", "3114"];

    private readonly FrozenSet<string> _digits;

    public PiiAllowList(IEnumerable<string> extra)
    {
        _digits = BuiltIn.Concat(extra).Select(n => Recognizers.RegexRecognizer.Digits(n)).Where(d => d.Length > 0).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Gets whether the digits of <paramref name="candidate"/> are on the list.</summary>
    /// <param name="candidate">A matched number as written.</param>
    /// <returns><see langword="true"/> when it must be kept.</returns>
    public bool Contains(ReadOnlySpan<char> candidate)
    {
        Span<char> buffer = stackalloc char[Math.Min(candidate.Length, 64)];
        int n = 0;
        foreach (char c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == buffer.Length)
                {
                    return false;
                }

                buffer[n++] = c;
            }
        }

        return n > 0 && _digits.GetAlternateLookup<ReadOnlySpan<char>>().Contains(buffer[..n]);
    }
}
