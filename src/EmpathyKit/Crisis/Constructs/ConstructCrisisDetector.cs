using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// EmpathyKit's crisis detector: clinical constructs (the Suicide Risk Lexicon) composed with mechanisms by
/// <see cref="ConstructRules"/> into a rung of the clinical ladder, the fast <see cref="CrisisRiskModel"/> as a learned
/// second layer (it may raise the level, never lower it), and conversation memory over the user's earlier turns.
/// </summary>
/// <remarks>
/// Pure and thread-safe. Linear in the length of each message, and bounded in the composition: a message of more than
/// <see cref="ConstructRules.WindowWords"/> words is composed on its window (<see cref="ConstructRules.TryWindow"/>). Each earlier turn is analysed once and its analysis
/// (no text: a 128-bit digest of the turn is the key) is reused on later turns, in a cache of at most
/// <see cref="CacheCapacity"/> turns that is emptied when full.
/// </remarks>
internal sealed class ConstructCrisisDetector : ICrisisDetector
{
    /// <summary>How many earlier turns conversation memory reads.</summary>
    public const int MemoryTurns = 10;

    /// <summary>How many turn analyses are kept for reuse.</summary>
    public const int CacheCapacity = 8192;

    private static readonly Lazy<ConstructCrisisDetector> DefaultDetector = new(() => new ConstructCrisisDetector(ConstructLexicon.Default, CrisisRiskModel.Default));

    private readonly ConstructLexicon _lexicon;
    private readonly ConstructRules _rules;
    private readonly CrisisRiskModel? _model;
    private readonly ConcurrentDictionary<UInt128, TurnAnalysis> _cache = new();
    private readonly bool _cacheTurns;
    private long _analysesComputed;
    private int _cached;

    /// <param name="lexicon">The constructs and mechanisms.</param>
    /// <param name="model">The fast risk model, or <see langword="null"/> for rules and memory only.</param>
    /// <param name="cacheTurns">Whether turn analyses are kept for reuse (off only to measure the uncached cost).</param>
    public ConstructCrisisDetector(ConstructLexicon lexicon, CrisisRiskModel? model, bool cacheTurns = true)
    {
        _cacheTurns = cacheTurns;
        _lexicon = lexicon;
        _rules = new ConstructRules(lexicon);
        _model = model;
    }

    /// <summary>Gets the detector over the embedded lexicon and model.</summary>
    public static ConstructCrisisDetector Default => DefaultDetector.Value;

    /// <summary>Gets how many turns have been analysed (not served from the cache) by this instance.</summary>
    public long AnalysesComputed => Interlocked.Read(ref _analysesComputed);

    /// <summary>Gets how many clauses the rules have composed for this instance (the work counter the fuzz tests bound).</summary>
    public long ClausesComposed => _rules.ClausesComposed;

    /// <summary>Gets whether a learned model is used.</summary>
    public bool HasModel => _model is not null;

    /// <inheritdoc />
    public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ValueTask.FromResult(Assess(input));
    }

    /// <summary>Assesses a message in its conversation.</summary>
    /// <param name="input">The message and the earlier user turns.</param>
    /// <returns>The assessment.</returns>
    public CrisisAssessment Assess(CrisisInput input) => Assess(input, useModel: true);

    /// <summary>Assesses a message, optionally without the learned model (rules and memory only).</summary>
    /// <param name="input">The message and the earlier user turns.</param>
    /// <param name="useModel">Whether the model may raise the level.</param>
    /// <returns>The assessment.</returns>
    public CrisisAssessment Assess(CrisisInput input, bool useModel)
    {
        ArgumentNullException.ThrowIfNull(input);
        Outcome result = Compose(input, out int[] features);
        if (useModel && _model is not null)
        {
            (double moderate, double high) = _model.Predict(features);
            ApplyLearned(result, new LearnedOpinion(moderate, high, _model.ModerateThreshold, _model.HighThreshold, _model.Veto));
        }

        return result.ToAssessment();
    }

    /// <summary>
    /// Assesses a message with the learned layer's opinion blended by a caller (the semantic detector): the rules and
    /// memory as <see cref="Assess(CrisisInput, bool)"/>, then <paramref name="blend"/> turns the fast model's
    /// probabilities (both 0 without a model) into the opinion applied as the model's would be.
    /// </summary>
    /// <param name="input">The message and the earlier user turns.</param>
    /// <param name="blend">Gives the opinion to apply from the rules' level, whether a learned layer may lower it (<see cref="Outcome.Lowerable"/>), and the fast model's probabilities of moderate and high.</param>
    /// <returns>The assessment.</returns>
    internal CrisisAssessment Assess(CrisisInput input, Func<RiskLevel, bool, double, double, LearnedOpinion> blend)
    {
        ArgumentNullException.ThrowIfNull(input);
        Outcome result = Compose(input, out int[] features);
        (double moderate, double high) = _model is null ? (0d, 0d) : _model.Predict(features);
        ApplyLearned(result, blend(result.Level, result.Lowerable, moderate, high));
        return result.ToAssessment();
    }

    /// <summary>The rules' and memory's level and the fast model's probabilities (0 without a model), for training a blend.</summary>
    /// <param name="input">The message and the earlier user turns.</param>
    /// <returns>The level before the model, whether a learned veto may lower it, and the model's probabilities of moderate and high.</returns>
    internal (RiskLevel Rules, bool Lowerable, double Moderate, double High) Score(CrisisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Outcome result = Compose(input, out int[] features);
        (double moderate, double high) = _model is null ? (0d, 0d) : _model.Predict(features);
        return (result.Level, result.Lowerable, moderate, high);
    }

    private Outcome Compose(CrisisInput input, out int[] features)
    {
        TurnAnalysis current = Analyze(input.Text);
        IReadOnlyList<string> earlierTurns = input.EarlierUserTurns;
        int count = Math.Min(MemoryTurns, earlierTurns.Count);
        RiskLevel carried = RiskLevel.None;
        RiskLevel earlierMax = RiskLevel.None;
        bool earlierDistress = false;
        bool earlierIngestion = false;
        bool minor = current.Minor;
        for (int d = 1; d <= count; d++)
        {
            TurnAnalysis earlier = Analyze(earlierTurns[^d]);
            earlierDistress |= earlier.HasRisk || earlier.HasDistress;
            earlierIngestion |= earlier.Rung == CrisisRung.Ingestion || earlier.Signals.Contains(CrisisSignals.Ingestion);
            minor |= earlier.Minor;
            earlierMax = earlier.Level > earlierMax ? earlier.Level : earlierMax;
            if (earlier.Level >= RiskLevel.Moderate)
            {
                var decayed = (RiskLevel)Math.Max(0, (int)earlier.Level - d);
                carried = (RiskLevel)Math.Min((int)RiskLevel.Moderate, Math.Max((int)carried, (int)decayed));
            }
        }

        var result = new Outcome(current) { EarlierRisk = earlierMax >= RiskLevel.Moderate };
        if (earlierDistress && (current.SeeksMeans || current.NamesMeans))
        {
            // A means asked about or named after earlier distress: high, and memory is part of the explanation even when the turn alone was.
            result.Raise(RiskLevel.High, CrisisRung.MethodThoughts, CrisisCategory.Suicidal, CrisisSignals.Means, CrisisSignals.MeansSeeking, CrisisSignals.ConversationMemory);
        }

        if (earlierIngestion && current.Symptom)
        {
            // A symptom now ("it hurts so much, it's hard to breathe") after something taken earlier in the conversation is
            // the emergency the same two told in one turn are.
            result.Raise(RiskLevel.Imminent, CrisisRung.MedicalEmergency, CrisisCategory.Medical, CrisisSignals.FirstPerson, CrisisSignals.Ingestion, CrisisSignals.ConversationMemory);
        }

        if (carried > result.Level)
        {
            result.Raise(carried, CrisisRung.None, CrisisCategory.Distress, CrisisSignals.ConversationMemory);
        }

        if (minor && !current.Minor && result.Level >= RiskLevel.Moderate && current.Level >= RiskLevel.Moderate && result.HasCategory(CrisisCategory.Abuse))
        {
            // An age stated earlier in the conversation makes abuse told now a child's disclosure, as one stated now would have.
            result.Raise(RiskLevel.High, CrisisRung.ChildAbuse, CrisisCategory.Abuse, CrisisSignals.Minor, CrisisSignals.ConversationMemory);
        }

        features = _model is null ? [] : CrisisFeatures.WithContext(current.Features, earlierMax, earlierDistress, minor);
        return result;
    }

    private static void ApplyLearned(Outcome result, LearnedOpinion opinion)
    {
        if (opinion.High >= opinion.HighThreshold && result.Level < RiskLevel.High)
        {
            result.Raise(RiskLevel.High, result.Rung, result.Level >= RiskLevel.Moderate ? result.PrimaryCategory : CrisisCategory.Suicidal, opinion.Signals(CrisisSignals.RiskModel));
        }
        else if (opinion.Moderate >= opinion.ModerateThreshold && result.Level < RiskLevel.Moderate)
        {
            result.Raise(RiskLevel.Moderate, result.Rung, result.Level >= RiskLevel.Low && result.PrimaryCategory != CrisisCategory.Distress ? result.PrimaryCategory : CrisisCategory.Suicidal, opinion.Signals(CrisisSignals.RiskModel));
        }
        else if (CrisisRiskModel.Lowered(result.Level, opinion.High, opinion.Veto, result.Lowerable) is var lowered && lowered < result.Level)
        {
            // The rules' high reading is very unlikely by the model (the veto chosen on dev within a recall budget): one
            // band lower, to moderate, so the reply still checks in about safety and shows the crisis lines.
            result.Lower(lowered, CrisisSignals.RiskModelLowered);
        }
    }

    /// <summary>Returns the rules' analysis of one turn (from the cache when the turn was seen before).</summary>
    /// <param name="text">The turn's raw text.</param>
    /// <returns>The analysis, with the turn's model features.</returns>
    internal TurnAnalysis Analyze(string text)
    {
        UInt128 key = _cacheTurns ? Digest(text) : default;
        if (_cacheTurns && _cache.TryGetValue(key, out TurnAnalysis? cached))
        {
            return cached;
        }

        Interlocked.Increment(ref _analysesComputed);
        CrisisTokens tokens = CrisisTokens.Parse(text);
        List<ConstructHit> hits = _lexicon.Match(tokens);
        bool windowed = _rules.TryWindow(tokens, hits, out tokens, out hits);
        TurnAnalysis analysis = _rules.Analyze(tokens, hits);
        if (windowed)
        {
            analysis.Signals.Add(CrisisSignals.LongMessageWindow);
        }

        analysis.Features = CrisisFeatures.OfTurn(tokens, analysis, hits, _lexicon);
        if (!_cacheTurns)
        {
            return analysis;
        }

        // ConcurrentDictionary.Count takes every lock, so the entries are counted here instead: reading Count on each turn
        // cost more than analysing the turn.
        if (Interlocked.Increment(ref _cached) > CacheCapacity)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _cached, 1);
        }

        if (!_cache.TryAdd(key, analysis))
        {
            Interlocked.Decrement(ref _cached);
        }

        return analysis;
    }

    private static UInt128 Digest(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }

    /// <summary>The assessment being built from a (shared, read-only) turn analysis.</summary>
    private sealed class Outcome
    {
        private readonly List<CrisisCategory> _categories;
        private readonly SortedSet<string> _signals;
        private readonly SortedSet<string> _constructs;

        public Outcome(TurnAnalysis turn)
        {
            Level = turn.Level;
            Rung = turn.Rung;
            _categories = [.. turn.Categories];
            _signals = new SortedSet<string>(turn.Signals, StringComparer.Ordinal);
            _constructs = new SortedSet<string>(turn.Constructs, StringComparer.Ordinal);
        }

        public RiskLevel Level { get; private set; }

        public CrisisRung Rung { get; private set; }

        /// <summary>Gets whether an earlier user turn in the conversation was itself at moderate or above.</summary>
        public bool EarlierRisk { get; init; }

        /// <summary>
        /// Gets whether a learned veto may lower this finding: only a high one (never imminent), never an act told as
        /// happening or done (an act in progress, ingestion, a medical emergency), and never in a conversation with
        /// risk in an earlier turn or a finding carried by conversation memory, where a message reads as preparation
        /// or means because of what came before.
        /// </summary>
        public bool Lowerable =>
            Level == RiskLevel.High
            && Rung is not (CrisisRung.ActInProgress or CrisisRung.Ingestion or CrisisRung.MedicalEmergency)
            && !EarlierRisk
            && !_signals.Contains(CrisisSignals.ConversationMemory);

        public CrisisCategory PrimaryCategory => _categories.Count > 0 ? _categories[0] : CrisisCategory.Distress;

        public bool HasCategory(CrisisCategory category) => _categories.Contains(category);

        public void Raise(RiskLevel level, CrisisRung rung, CrisisCategory category, params string[] signals)
        {
            if (level > Level)
            {
                Level = level;
                _categories.Remove(category);
                _categories.Insert(0, category);
                if (rung != CrisisRung.None)
                {
                    Rung = rung;
                }
            }
            else if (!_categories.Contains(category))
            {
                _categories.Add(category);
            }

            foreach (string s in signals)
            {
                _signals.Add(s);
            }
        }

        public void Lower(RiskLevel level, string signal)
        {
            Level = level;
            _signals.Add(signal);
        }

        public CrisisAssessment ToAssessment()
        {
            if (Level == RiskLevel.None)
            {
                return _signals.Count == 0 && _constructs.Count == 0
                    ? CrisisAssessment.NoRisk
                    : new CrisisAssessment(RiskLevel.None, [], [.. _signals]) { Constructs = [.. _constructs] };
            }

            List<CrisisCategory> categories = [.. _categories.Distinct()];
            if (categories.Count > 1)
            {
                categories.Remove(CrisisCategory.Distress);
            }

            return new CrisisAssessment(Level, categories, [.. _signals]) { Rung = Rung, Constructs = [.. _constructs] };
        }
    }
}
