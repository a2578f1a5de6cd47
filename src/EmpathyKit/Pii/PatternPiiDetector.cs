using System.Text.RegularExpressions;

namespace EmpathyKit.Pii;

/// <summary>
/// The built-in pattern detector: e-mail addresses, telephone numbers (7–15 digits, E.164 or national forms with
/// separators, never dates or allow-listed crisis numbers) and payment cards (13–19 digits, issuer range and Luhn).
/// </summary>
/// <remarks>
/// Regexes are source-generated with a match timeout, so no input can make them run away; a timeout throws, and the
/// redaction stage fails closed. Overlapping matches are resolved in favour of the higher score, then the longer span.
/// </remarks>
internal sealed partial class PatternPiiDetector : IPiiDetector
{
    private const int TimeoutMilliseconds = 250;

    private readonly PiiAllowList _allowList;

    public PatternPiiDetector(PiiAllowList allowList)
    {
        _allowList = allowList;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ValueTask.FromResult(Detect(text));
    }

    /// <summary>Detects entities synchronously.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Non-overlapping entities ordered by start.</returns>
    public IReadOnlyList<PiiEntity> Detect(string text)
    {
        var found = new List<PiiEntity>();
        foreach (ValueMatch m in EmailRegex().EnumerateMatches(text))
        {
            found.Add(new PiiEntity(PiiTypes.Email, m.Index, m.Index + m.Length, 1.0, "email_pattern"));
        }

        foreach (ValueMatch m in CardRegex().EnumerateMatches(text))
        {
            string digits = PiiAllowList.DigitsOf(text.Substring(m.Index, m.Length));
            if (digits.Length is >= 13 and <= 19 && HasCardIssuerPrefix(digits) && Luhn.IsValid(digits))
            {
                found.Add(new PiiEntity(PiiTypes.CreditCard, m.Index, m.Index + m.Length, 1.0, "card_issuer_luhn"));
            }
        }

        foreach (ValueMatch m in PhoneRegex().EnumerateMatches(text))
        {
            ReadOnlySpan<char> span = text.AsSpan(m.Index, m.Length);
            int digitCount = CountDigits(span);
            if (digitCount is < 7 or > 15 || LooksLikeDate(span) || _allowList.Contains(span))
            {
                continue;
            }

            bool international = span[0] == '+';
            found.Add(new PiiEntity(PiiTypes.Phone, m.Index, m.Index + m.Length, international ? 0.9 : 0.75, international ? "phone_e164" : "phone_national"));
        }

        return ResolveOverlaps(found);
    }

    /// <summary>
    /// Merges overlapping entities into their union, so no part of either is left visible; the merged entity takes the
    /// type, score and rule of the higher-scored (then longer) one.
    /// </summary>
    /// <param name="entities">Entities in any order.</param>
    /// <returns>Non-overlapping entities ordered by start.</returns>
    internal static List<PiiEntity> ResolveOverlaps(List<PiiEntity> entities)
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

    private static int CountDigits(ReadOnlySpan<char> span)
    {
        int n = 0;
        foreach (char c in span)
        {
            if (char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }

    private static bool LooksLikeDate(ReadOnlySpan<char> span) => DateLikeRegex().IsMatch(span);

    private static bool HasCardIssuerPrefix(string d)
    {
        int two = int.Parse(d.AsSpan(0, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        int three = int.Parse(d.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        int four = int.Parse(d.AsSpan(0, 4), provider: System.Globalization.CultureInfo.InvariantCulture);
        return d[0] == '4'
            || two is >= 51 and <= 55
            || four is >= 2221 and <= 2720
            || two is 34 or 37
            || four == 6011 || three is >= 644 and <= 649 || two == 65
            || four is >= 3528 and <= 3589
            || two is 36 or 38 || three is >= 300 and <= 305
            || two == 62;
    }

    [GeneratedRegex(@"(?<![\w.+%-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z_-])", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"(?:(?<![\w+$£€/.:-])\+\d{1,3}[ .-]?|(?<![\w+$£€/.:-]|\d[ .-]))(?:\(\d{1,5}\)[ .-]?)?\d(?:[ .-]?\d){5,14}(?![\w%/:-]|[ .-]?\d)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex DateLikeRegex();
}
