using EmpathyKit.Pii.Recognizers;

namespace EmpathyKit.Pii;

/// <summary>
/// The built-in PII detector: runs every recognizer, drops matches below the per-type score threshold and numbers on
/// the allow-list (crisis and emergency numbers, host additions), and merges overlaps into their union.
/// </summary>
/// <remarks>
/// Recognizers use source-generated regexes with match timeouts, so no input can make them run away; a timeout throws,
/// and the redaction stage fails closed.
/// </remarks>
internal sealed class RecognizerPiiDetector : IPiiDetector
{
    private readonly IPiiRecognizer[] _recognizers;
    private readonly PiiAllowList _allowList;
    private readonly IReadOnlyDictionary<string, double> _thresholds;
    private readonly double _defaultThreshold;

    public RecognizerPiiDetector(IEnumerable<IPiiRecognizer> recognizers, PiiAllowList allowList, PiiOptions options)
    {
        _recognizers = [.. recognizers];
        _allowList = allowList;
        _thresholds = new Dictionary<string, double>(options.Thresholds, StringComparer.OrdinalIgnoreCase);
        _defaultThreshold = options.DefaultThreshold;
    }

    /// <summary>Gets the built-in recognizers, in the order they run.</summary>
    /// <returns>New recognizer instances.</returns>
    public static IEnumerable<IPiiRecognizer> BuiltInRecognizers() =>
    [
        new EmailRecognizer(), new CreditCardRecognizer(), new IbanRecognizer(), new UsSsnRecognizer(), new UkNhsRecognizer(),
        new UkNinoRecognizer(), new PhoneRecognizer(), new PostcodeRecognizer(), new DateOfBirthRecognizer(),
        new IpAddressRecognizer(), new UrlRecognizer(), new SocialHandleRecognizer(), new PersonRecognizer(), new StreetAddressRecognizer(),
    ];

    /// <summary>Creates a detector with the built-in recognizers, the default allow-list and default options.</summary>
    /// <returns>The detector.</returns>
    public static RecognizerPiiDetector CreateDefault() => BuiltInEngines.PiiDetector(new PiiOptions(), CrisisDirectory.Default);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ValueTask.FromResult(Detect(text));
    }

    /// <summary>The longest text read in one piece; a longer one is read in overlapping chunks of about this length.</summary>
    internal const int ChunkLength = 16_384;

    /// <summary>How far consecutive chunks overlap (an entity longer than this that a boundary cuts may be found in part).</summary>
    internal const int ChunkOverlap = 512;

    private const int BoundarySearch = 128;

    /// <summary>Detects entities synchronously.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Non-overlapping entities ordered by start.</returns>
    public IReadOnlyList<PiiEntity> Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PiiEntity>();
        if (text.Length <= ChunkLength)
        {
            Recognize(text, 0, found);
        }
        else
        {
            // A long text is read in overlapping chunks: each pattern's scan (and its 250 ms timeout) is bounded by the
            // chunk, not by the message, and an entity up to ChunkOverlap characters long that a boundary cuts is found
            // whole in the next chunk (spans found twice are merged below).
            for (int start = 0; ;)
            {
                int end = Math.Min(text.Length, start + ChunkLength);
                if (end < text.Length && text.AsSpan(end - BoundarySearch, BoundarySearch).LastIndexOfAny(' ', '\n', '\t') is int back and >= 0)
                {
                    end = end - BoundarySearch + back;
                }

                Recognize(text[start..end], start, found);
                if (end >= text.Length)
                {
                    break;
                }

                int next = end - ChunkOverlap;
                if (text.AsSpan(next, BoundarySearch).IndexOfAny(' ', '\n', '\t') is int forward and >= 0)
                {
                    next += forward + 1;
                }

                start = next;
            }
        }

        found.RemoveAll(e => e.Start < 0 || e.End > text.Length || e.Start >= e.End
            || e.Score < (_thresholds.TryGetValue(e.Type, out double t) ? t : _defaultThreshold)
            || (IsNumeric(e.Type) && _allowList.Contains(text.AsSpan(e.Start, e.Length))));
        return PiiSpans.ResolveOverlaps(found);
    }

    /// <summary>Runs every recognizer over <paramref name="chunk"/>, which starts at <paramref name="offset"/> in the text.</summary>
    private void Recognize(string chunk, int offset, List<PiiEntity> found)
    {
        var input = new PiiText(chunk);
        if (offset == 0)
        {
            foreach (IPiiRecognizer recognizer in _recognizers)
            {
                recognizer.Recognize(input, found);
            }

            return;
        }

        var local = new List<PiiEntity>();
        foreach (IPiiRecognizer recognizer in _recognizers)
        {
            recognizer.Recognize(input, local);
        }

        foreach (PiiEntity entity in local)
        {
            found.Add(entity with { Start = entity.Start + offset, End = entity.End + offset });
        }
    }

    private static bool IsNumeric(string type) => type is PiiTypes.Phone or PiiTypes.UsSsn or PiiTypes.UkNhs or PiiTypes.CreditCard;
}
