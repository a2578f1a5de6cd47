using System.Collections.Concurrent;
using System.Text;

namespace EmpathyKit.Pii;

/// <summary>
/// Replaces detected entities with numbered, typed placeholders (<c>[EMAIL_1]</c>) that stay the same for the same
/// value throughout a conversation, and turns them back into values in replies.
/// </summary>
/// <remarks>
/// The value map of each conversation is held in memory only, with a sliding expiry
/// (<see cref="PiiOptions.PlaceholderLifetime"/>) and a cap on the number of conversations held
/// (<see cref="PiiOptions.MaxConversations"/>, least recently used evicted first). It is never logged or persisted.
/// </remarks>
internal sealed class PlaceholderRedactor : IPiiRedactor
{
    /// <summary>How many remembered values, and how many distinct values of the message, are looked for again in a message.</summary>
    internal const int MaxRescanValues = 256;

    /// <summary>How many distinct values one conversation's map remembers (for consistent placeholders and rehydration).</summary>
    internal const int MaxValuesPerConversation = 4_096;

    private readonly IPiiDetector _detector;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly int _maxConversations;
    private readonly PiiOperator _defaultOperator;
    private readonly Dictionary<string, PiiOperator> _operators;
    private readonly byte[]? _pseudonymKey;
    private readonly string _pseudonymKeyId;
    private readonly ConcurrentDictionary<string, ConversationMap> _maps = new(StringComparer.Ordinal);
    private long _operations;
    private int _mapCount;

    public PlaceholderRedactor(IPiiDetector detector, PiiOptions options, TimeProvider time)
    {
        _detector = detector;
        _time = time;
        _lifetime = options.PlaceholderLifetime;
        _maxConversations = options.MaxConversations;
        _defaultOperator = options.Operator;
        _operators = new Dictionary<string, PiiOperator>(options.Operators, StringComparer.OrdinalIgnoreCase);
        _pseudonymKeyId = options.PseudonymKeyId;
        bool pseudonyms = _defaultOperator == PiiOperator.Pseudonym || _operators.ContainsValue(PiiOperator.Pseudonym);
        _pseudonymKey = pseudonyms ? PiiOptions.DecodePseudonymKey(options.PseudonymKey) : null;
    }

    /// <summary>Gets how many conversation maps are held (for tests and diagnostics).</summary>
    internal int ConversationCount => Volatile.Read(ref _mapCount);

    /// <summary>Drops a conversation's map at once (a one-off redaction, as <c>empathykit analyze</c> makes per line).</summary>
    internal void Forget(string conversationId) => Remove(conversationId);

    /// <summary>How many values a conversation's map remembers (for tests of the bound).</summary>
    internal int RememberedValues(string conversationId) => GetMap(conversationId, create: false)?.Count ?? 0;

    /// <inheritdoc />
    public async ValueTask<RedactionResult> RedactAsync(string conversationId, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<PiiEntity> entities = await _detector.DetectAsync(text, cancellationToken).ConfigureAwait(false);
        if (entities.Count == 0)
        {
            return new RedactionResult(text, entities);
        }

        ConversationMap map = GetMap(conversationId, create: true)!;
        var spans = new List<PiiEntity>(entities.Count);
        foreach (PiiEntity entity in entities)
        {
            if (entity.Start >= 0 && entity.End <= text.Length && entity.Start < entity.End)
            {
                spans.Add(entity);
            }
        }

        // A value once identified as PII (earlier in the conversation or elsewhere in this message) is redacted
        // wherever it appears again, even where the detector would not recognise it on its own (no cue, glued to a
        // word). Merging overlaps can create new values, so this runs until nothing changes (spans only grow).
        // Bounded: the conversation's last MaxRescanValues values and as many distinct values of this message are looked
        // for (each is still redacted where it was detected), and whether an occurrence is already covered is a binary
        // search; a message of thousands of repeated values, or a conversation that has seen thousands, stays linear.
        List<(string Type, string Value)> remembered = map.KnownValues(MaxRescanValues);
        List<PiiEntity> resolved = PiiSpans.ResolveOverlaps(spans);
        for (int round = 0; round < 8; round++)
        {
            var grown = new List<PiiEntity>(resolved);
            IEnumerable<(string Type, string Value)> current = resolved.Select(e => (e.Type, text[e.Start..e.End])).Where(v => v.Item2.Length >= 3).Distinct().Take(MaxRescanValues);
            foreach ((string type, string value) in remembered.Concat(current).Distinct())
            {
                for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
                {
                    if (IsWholeWordOccurrence(text, at, value.Length) && !Covered(resolved, at, at + value.Length))
                    {
                        grown.Add(new PiiEntity(type, at, at + value.Length, 1.0, "known_value"));
                    }
                }
            }

            if (grown.Count == resolved.Count)
            {
                break;
            }

            resolved = PiiSpans.ResolveOverlaps(grown);
        }

        var builder = new StringBuilder(text.Length + 16);
        int position = 0;
        foreach (PiiEntity entity in resolved)
        {
            builder.Append(text, position, entity.Start - position);
            builder.Append(map.ReplacementFor(entity.Type, text[entity.Start..entity.End], OperatorFor(entity.Type), _pseudonymKey, _pseudonymKeyId));
            position = entity.End;
        }

        builder.Append(text, position, text.Length - position);
        return new RedactionResult(builder.ToString(), resolved);
    }

    /// <summary>Whether [start, end) lies inside one of the sorted, non-overlapping spans: the last one starting at or before it.</summary>
    private static bool Covered(List<PiiEntity> sorted, int start, int end)
    {
        int last = PiiSpans.FirstStartingAt(sorted, start + 1, static e => e.Start) - 1;
        return last >= 0 && sorted[last].End >= end;
    }

    private PiiOperator OperatorFor(string type) => _operators.TryGetValue(type, out PiiOperator op) ? op : _defaultOperator;

    /// <summary>
    /// A known value matches anywhere when it holds digits or symbols (an e-mail glued to a word is still that e-mail);
    /// a name-like value (letters only) must not split a word ("Ann" is not in "Annual").
    /// </summary>
    private static bool IsWholeWordOccurrence(string text, int start, int length)
    {
        ReadOnlySpan<char> value = text.AsSpan(start, length);
        foreach (char c in value)
        {
            if (!char.IsLetter(c) && c is not (' ' or '-' or '\'' or '\u2019' or '.'))
            {
                return true;
            }
        }

        // A case change from lower to upper is a word boundary too ("MariaI feel", "callMaria").
        int end = start + length;
        bool leftOk = start == 0 || !char.IsLetter(text[start - 1]) || (char.IsLower(text[start - 1]) && char.IsUpper(text[start]));
        bool rightOk = end == text.Length || !char.IsLetter(text[end]) || (char.IsLower(text[end - 1]) && char.IsUpper(text[end]));
        return leftOk && rightOk;
    }

    /// <inheritdoc />
    public string Rehydrate(string conversationId, string text)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(text);
        if (text.IndexOf('[', StringComparison.Ordinal) < 0 || GetMap(conversationId, create: false) is not { } map)
        {
            return text;
        }

        return PiiPlaceholderFormat.Default.Pattern.Replace(text, m => map.ValueFor(m.Value) ?? m.Value);
    }

    /// <inheritdoc />
    /// <value>The built-in format, <see cref="PiiPlaceholderFormat.Default"/>.</value>
    public PiiPlaceholderFormat PlaceholderFormat => PiiPlaceholderFormat.Default;

    private ConversationMap? GetMap(string conversationId, bool create)
    {
        DateTimeOffset now = _time.GetUtcNow();
        // The maps are counted here (ConcurrentDictionary.Count takes every lock, too dear on every call).
        if (Interlocked.Increment(ref _operations) % 256 == 0 || Volatile.Read(ref _mapCount) > _maxConversations)
        {
            Sweep(now);
        }

        if (_maps.TryGetValue(conversationId, out ConversationMap? existing))
        {
            if (now - existing.LastUsed <= _lifetime)
            {
                existing.LastUsed = now;
                return existing;
            }

            Remove(conversationId);
        }

        if (!create)
        {
            return null;
        }

        var created = new ConversationMap();
        if (_maps.TryAdd(conversationId, created))
        {
            Interlocked.Increment(ref _mapCount);
        }

        ConversationMap map = _maps.TryGetValue(conversationId, out ConversationMap? current) ? current : created;
        map.LastUsed = now;
        return map;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, ConversationMap> pair in _maps)
        {
            if (now - pair.Value.LastUsed > _lifetime && _maps.TryRemove(pair))
            {
                Interlocked.Decrement(ref _mapCount);
            }
        }

        // Over the cap: the least recently used go, down to nine tenths of it, so that the sort runs once per tenth of
        // the cap's new conversations and not on every call.
        int excess = Volatile.Read(ref _mapCount) - _maxConversations;
        if (excess > 0)
        {
            excess += _maxConversations / 10;
            foreach (KeyValuePair<string, ConversationMap> pair in _maps.OrderBy(p => p.Value.LastUsed).Take(excess).ToList())
            {
                if (_maps.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _mapCount);
                }
            }
        }
    }

    private void Remove(string conversationId)
    {
        if (_maps.TryRemove(conversationId, out _))
        {
            Interlocked.Decrement(ref _mapCount);
        }
    }

    private sealed class ConversationMap
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(string Type, string Value), string> _byValue = [];
        private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
        private readonly List<(string Type, string Value)> _order = [];

        public DateTimeOffset LastUsed { get; set; }

        /// <summary>Gets how many values the map remembers.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _order.Count;
                }
            }
        }

        /// <summary>The most recently added values (at least 3 characters), at most <paramref name="count"/>.</summary>
        public List<(string Type, string Value)> KnownValues(int count)
        {
            lock (_gate)
            {
                var values = new List<(string Type, string Value)>(Math.Min(count, _order.Count));
                for (int i = _order.Count - 1; i >= 0 && values.Count < count; i--)
                {
                    if (_order[i].Value.Length >= 3)
                    {
                        values.Add(_order[i]);
                    }
                }

                values.Reverse();
                return values;
            }
        }

        public string ReplacementFor(string type, string value, PiiOperator op, byte[]? pseudonymKey, string keyId)
        {
            lock (_gate)
            {
                if (_byValue.TryGetValue((type, value), out string? replacement))
                {
                    return replacement;
                }

                switch (op)
                {
                    case PiiOperator.Mask:
                        replacement = new string([.. value.Select(c => char.IsLetterOrDigit(c) ? '*' : c)]);
                        break;
                    case PiiOperator.Remove:
                        replacement = string.Empty;
                        break;
                    case PiiOperator.Pseudonym:
                        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(pseudonymKey!, Encoding.UTF8.GetBytes(type + "\0" + value));
                        replacement = DefaultPiiPlaceholderFormat.Pseudonym(type, keyId, Convert.ToHexStringLower(mac, 0, 5));
                        _byPlaceholder[replacement] = value;
                        break;
                    default:
                        int next = _counters.TryGetValue(type, out int n) ? n + 1 : 1;
                        _counters[type] = next;
                        replacement = PiiPlaceholderFormat.Default.Format(type, next);
                        _byPlaceholder[replacement] = value;
                        break;
                }

                if (_byValue.Count < MaxValuesPerConversation)
                {
                    // Past the cap a value is still replaced, but not remembered: it is not rehydrated in replies, and it
                    // gets a new number if it comes again (a bound on what one conversation can make the map hold).
                    _byValue[(type, value)] = replacement;
                    _order.Add((type, value));
                }
                else
                {
                    _byPlaceholder.Remove(replacement);
                }

                return replacement;
            }
        }

        public string? ValueFor(string placeholder)
        {
            lock (_gate)
            {
                return _byPlaceholder.TryGetValue(placeholder, out string? value) ? value : null;
            }
        }
    }
}
