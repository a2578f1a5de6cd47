using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Semantic;

/// <summary>
/// A crisis detector that runs EmpathyKit's built-in construct detector with a learned semantic model beside it: two
/// heads over all-MiniLM-L6-v2 sentence embeddings of the message and of the user's earlier turns (logistic, or over a
/// hidden layer) ask for at least moderate or at least high. A raise adds the <see cref="Signal"/> signal.
/// </summary>
/// <remarks>
/// <para>
/// Sees the raw message and up to ten earlier user turns; runs in process (ONNX Runtime, the model embedded in the
/// package), sends nothing anywhere. Thread-safe. Each turn is encoded once (about 10 ms for a 100-character message on
/// one core) and its vector kept, without its text, for the later turns that read it as context. A turn the construct
/// detector already puts at high or above is not encoded.
/// </para>
/// <para>
/// With the embedded model (which carries a blend) over the built-in construct detector,
/// the heads' opinion and the built-in fast model's are blended into one and applied over the rules' level in place of
/// the fast model's: it raises the level, and with the blend's veto it lowers a rule's high finding to moderate (still a
/// check-in) when the blended high probability is below the veto and the finding allows it (see
/// <see cref="SemanticBlend.Veto"/>, signal <see cref="CrisisSignals.RiskModelLowered"/>). A turn the rules put at high
/// or above is encoded only when the veto may apply. Over any other inner detector, the heads only raise its level.
/// </para>
/// <para>
/// It does not catch its own failures: an exception propagates to the caller, and EmpathyKit's crisis stage turns it
/// into a high-risk assessment with the <see cref="CrisisSignals.DetectorError"/> signal.
/// </para>
/// </remarks>
public sealed class SemanticCrisisDetector : ICrisisDetector
{
    /// <summary>The signal added when the semantic model raised the level.</summary>
    public const string Signal = "semantic_model";

    private static readonly Lazy<SemanticCrisisDetector> DefaultDetector = new(
        () => new SemanticCrisisDetector(ConstructCrisisDetector.Default, MiniLmEncoder.Shared, SemanticCrisisModel.Default),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ICrisisDetector _inner;
    private readonly MiniLmEncoder _encoder;
    private readonly SemanticCrisisModel _model;

    /// <exception cref="InvalidDataException">The model was trained over other encoder weights than <paramref name="encoder"/> has.</exception>
    internal SemanticCrisisDetector(ICrisisDetector inner, MiniLmEncoder encoder, SemanticCrisisModel model)
    {
        if (!string.Equals(model.Encoder, encoder.PatchDigest, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The semantic crisis model was trained over encoder weights '{model.Encoder}', not the encoder's '{encoder.PatchDigest}'.");
        }

        _inner = inner;
        _encoder = encoder;
        _model = model;
    }

    /// <summary>Gets the detector over the built-in construct detector and the embedded encoder and model, shared by the process (loaded on first use).</summary>
    public static SemanticCrisisDetector Default => DefaultDetector.Value;

    /// <inheritdoc />
    public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_model.Blend is { } blend && _inner is ConstructCrisisDetector { HasModel: true } construct)
        {
            // One learned opinion from both models over the rules' level (see SemanticCrisisModel.Blend).
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(construct.Assess(input, (rules, lowerable, moderate, high) => Opinion(blend, input, rules, lowerable, moderate, high)));
        }

        ValueTask<CrisisAssessment> inner = _inner.AssessAsync(input, cancellationToken);
        return inner.IsCompletedSuccessfully
            ? ValueTask.FromResult(Combine(input, inner.Result, cancellationToken))
            : AwaitAsync(input, inner, cancellationToken);
    }

    /// <summary>Returns the semantic model's probabilities for a turn in its conversation.</summary>
    /// <param name="input">The message and the earlier user turns.</param>
    /// <returns>The probabilities of moderate-or-above and high-or-above.</returns>
    internal (double Moderate, double High) Score(CrisisInput input)
    {
        ReadOnlyMemory<float> last = _encoder.GetOrAdd(input.Text);
        IReadOnlyList<string> turns = input.EarlierUserTurns;
        int count = Math.Min(SemanticCrisisModel.ContextTurns, turns.Count);
        var earlier = new ReadOnlyMemory<float>[count];
        for (int d = 0; d < count; d++)
        {
            earlier[d] = _encoder.GetOrAdd(turns[turns.Count - 1 - d]);
        }

        return _model.Predict(SemanticCrisisModel.Features(_model.Context, last.Span, earlier));
    }

    /// <summary>Returns the level the semantic heads ask for.</summary>
    /// <param name="model">The model (its thresholds).</param>
    /// <param name="moderate">The moderate head's probability.</param>
    /// <param name="high">The high head's probability.</param>
    /// <returns>High, moderate or none.</returns>
    internal static RiskLevel LevelOf(SemanticCrisisModel model, double moderate, double high) =>
        high >= model.HighThreshold ? RiskLevel.High : moderate >= model.ModerateThreshold ? RiskLevel.Moderate : RiskLevel.None;

    /// <summary>Raises an assessment to a level (never lowers it), as the construct detector's learned layer does.</summary>
    /// <param name="baseline">The construct detector's assessment.</param>
    /// <param name="level">The semantic model's level.</param>
    /// <returns>The combined assessment.</returns>
    internal static CrisisAssessment Raise(CrisisAssessment baseline, RiskLevel level)
    {
        if (level <= baseline.Level)
        {
            return baseline;
        }

        CrisisCategory primary = baseline.Categories.Count > 0 ? baseline.Categories[0] : CrisisCategory.Distress;
        bool keepPrimary = level >= RiskLevel.High
            ? baseline.Level >= RiskLevel.Moderate
            : baseline.Level >= RiskLevel.Low && primary != CrisisCategory.Distress;
        CrisisCategory lead = keepPrimary ? primary : CrisisCategory.Suicidal;
        List<CrisisCategory> categories = [lead, .. baseline.Categories.Where(c => c != lead && c != CrisisCategory.Distress).Distinct()];
        string[] signals = [.. baseline.Signals.Append(Signal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return baseline with { Level = level, Categories = categories, Signals = signals };
    }

    /// <summary>
    /// The blended opinion for a turn; a turn the rules already put at high or above is not encoded (a raise cannot
    /// change it) unless the blend has a veto and the finding may be lowered.
    /// </summary>
    /// <param name="blend">The blend.</param>
    /// <param name="input">The turn.</param>
    /// <param name="rules">The rules' and memory's level.</param>
    /// <param name="lowerable">Whether the construct detector lets a learned veto lower the rules' finding.</param>
    /// <param name="fastModerate">The fast model's moderate probability.</param>
    /// <param name="fastHigh">The fast model's high probability.</param>
    /// <returns>The opinion to apply.</returns>
    internal LearnedOpinion Opinion(SemanticBlend blend, CrisisInput input, RiskLevel rules, bool lowerable, double fastModerate, double fastHigh)
    {
        if (rules >= RiskLevel.High && !(lowerable && blend.Veto > 0))
        {
            return new LearnedOpinion(0, 0, 2, 2, 0);
        }

        (double moderate, double high) = Score(input);
        return new LearnedOpinion(blend.Mix(fastModerate, moderate), blend.Mix(fastHigh, high), blend.ModerateThreshold, blend.HighThreshold, blend.Veto, Signal);
    }

    private async ValueTask<CrisisAssessment> AwaitAsync(CrisisInput input, ValueTask<CrisisAssessment> inner, CancellationToken cancellationToken) =>
        Combine(input, await inner.ConfigureAwait(false), cancellationToken);

    private CrisisAssessment Combine(CrisisInput input, CrisisAssessment baseline, CancellationToken cancellationToken)
    {
        if (baseline.Level >= RiskLevel.High)
        {
            return baseline;
        }

        cancellationToken.ThrowIfCancellationRequested();
        (double moderate, double high) = Score(input);
        return Raise(baseline, LevelOf(_model, moderate, high));
    }
}
