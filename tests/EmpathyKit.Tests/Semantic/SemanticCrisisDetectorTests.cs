using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Semantic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EmpathyKit.Tests.Semantic;

public sealed class SemanticCrisisDetectorTests
{
    private static readonly string[] Messages =
    [
        "I had a long day at work",
        "this commute is killing me lol",
        "everyone would be better off without me",
        "I don't want to wake up tomorrow",
        "what's the tallest bridge near here",
        "I've been saving up my tablets",
        "writing a thriller where the villain poisons someone",
        "my cat scratched me",
        "i cant do this anymore",
        "he said he'd kill me if I leave",
    ];

    [Fact]
    public async Task The_shipped_blend_never_lowers_the_rules_level_and_a_learned_raise_names_both_models()
    {
        SemanticCrisisDetector detector = SemanticCrisisDetector.Default;
        Assert.NotNull(SemanticCrisisModel.Default.Blend);
        for (int i = 0; i < Messages.Length; i++)
        {
            var input = new CrisisInput(Messages[i], [.. Messages.Take(i).TakeLast(3)]);
            CrisisAssessment rules = ConstructCrisisDetector.Default.Assess(input, useModel: false);
            CrisisAssessment semantic = await detector.AssessAsync(input);
            Assert.True(semantic.Level >= rules.Level, $"'{Messages[i]}': {semantic.Level} < {rules.Level}");
            if (semantic.Level > rules.Level)
            {
                Assert.Contains(SemanticCrisisDetector.Signal, semantic.Signals);
                Assert.Contains(CrisisSignals.RiskModel, semantic.Signals);
            }
            else
            {
                Assert.Equal(rules.Signals, semantic.Signals);
            }
        }
    }

    [Fact]
    public async Task With_a_blend_a_turn_the_rules_put_at_high_is_not_encoded()
    {
        var encoder = new MiniLmEncoder(MiniLmEncoder.EmbeddedPatch());
        try
        {
            var detector = new SemanticCrisisDetector(ConstructCrisisDetector.Default, encoder, SemanticCrisisModel.Default);
            CrisisAssessment result = await detector.AssessAsync(CrisisInput.ForMessage("I bought a rope today and I'm going to hang myself tonight"));
            Assert.True(result.Level >= RiskLevel.High);
            Assert.Equal(0, encoder.CachedCount);

            await detector.AssessAsync(CrisisInput.ForMessage("I had a long day at work"));
            Assert.Equal(1, encoder.CachedCount);
        }
        finally
        {
            encoder.Dispose();
        }
    }

    [Fact]
    public async Task A_blend_that_fires_raises_with_both_signals_and_one_that_is_quiet_keeps_the_rules_level()
    {
        var firing = new SemanticCrisisDetector(ConstructCrisisDetector.Default, MiniLmEncoder.Shared, Blended(Model(moderateBias: 20, highBias: 20), weight: 0));
        CrisisAssessment raised = await firing.AssessAsync(CrisisInput.ForMessage("I had a long day at work"));
        Assert.Equal(RiskLevel.High, raised.Level);
        Assert.Contains(SemanticCrisisDetector.Signal, raised.Signals);
        Assert.Contains(CrisisSignals.RiskModel, raised.Signals);

        var quiet = new SemanticCrisisDetector(ConstructCrisisDetector.Default, MiniLmEncoder.Shared, Blended(Model(moderateBias: -20, highBias: -20), weight: 0));
        foreach (string message in Messages)
        {
            var input = CrisisInput.ForMessage(message);
            CrisisAssessment rules = ConstructCrisisDetector.Default.Assess(input, useModel: false);
            CrisisAssessment result = await quiet.AssessAsync(input);
            Assert.Equal(rules.Level, result.Level);
            Assert.Equal(rules.Signals, result.Signals);
            Assert.Equal(rules.Level, ConstructCrisisDetector.Default.Score(input).Rules);
        }
    }

    [Fact]
    public async Task A_blend_veto_lowers_a_lowerable_high_rule_to_the_check_in_but_never_an_act_done()
    {
        SemanticCrisisModel quiet = Blended(Model(moderateBias: -20, highBias: -20), weight: 0);
        var vetoing = new SemanticCrisisDetector(ConstructCrisisDetector.Default, MiniLmEncoder.Shared, Blended(Model(moderateBias: -20, highBias: -20), weight: 0, veto: 0.01));

        CrisisAssessment lowered = await vetoing.AssessAsync(CrisisInput.ForMessage("I bought a rope this afternoon"));
        Assert.Equal(RiskLevel.Moderate, lowered.Level);
        Assert.Contains(CrisisSignals.RiskModelLowered, lowered.Signals);

        CrisisAssessment act = await vetoing.AssessAsync(CrisisInput.ForMessage("I took 30 pills an hour ago"));
        Assert.Equal(RiskLevel.Imminent, act.Level);
        Assert.DoesNotContain(CrisisSignals.RiskModelLowered, act.Signals);

        var withoutVeto = new SemanticCrisisDetector(ConstructCrisisDetector.Default, MiniLmEncoder.Shared, quiet);
        Assert.Equal(RiskLevel.High, (await withoutVeto.AssessAsync(CrisisInput.ForMessage("I bought a rope this afternoon"))).Level);
    }

    [Property(Arbitrary = [typeof(InnerCases)], MaxTest = 40)]
    public bool Detector_never_lowers_any_inner_level(InnerCase input)
    {
        RiskLevel level = input.Level;
        var inner = new CrisisAssessment(level, level == RiskLevel.None ? [] : [CrisisCategory.Abuse], ["inner"]) { Rung = CrisisRung.None };
        var detector = new SemanticCrisisDetector(new FixedDetector(inner), MiniLmEncoder.Shared, SemanticCrisisModel.Default);
        CrisisAssessment result = detector.AssessAsync(new CrisisInput(input.Text, input.Earlier)).AsTask().GetAwaiter().GetResult();
        return result.Level >= level && (level < RiskLevel.High ? result.Signals.Contains("inner") : ReferenceEquals(result, inner));
    }

    /// <summary>An inner detector's level, and a conversation drawn from the test's messages.</summary>
    /// <param name="Level">The inner level.</param>
    /// <param name="Text">The message.</param>
    /// <param name="Earlier">The earlier user turns.</param>
    public sealed record InnerCase(RiskLevel Level, string Text, string[] Earlier);

    /// <summary>The arbitrary of <see cref="InnerCase"/>.</summary>
    public static class InnerCases
    {
        /// <summary>Gets the cases.</summary>
        /// <returns>The arbitrary.</returns>
        public static Arbitrary<InnerCase> Cases() =>
            (from level in Gen.Elements(Enum.GetValues<RiskLevel>())
             from text in Gen.Elements(Messages)
             from earlier in Gen.ArrayOf(Gen.Elements(Messages))
             select new InnerCase(level, text, earlier)).ToArbitrary();
    }

    [Fact]
    public async Task A_firing_head_raises_to_its_level_with_the_semantic_signal()
    {
        SemanticCrisisModel alwaysHigh = Model(moderateBias: 20, highBias: 20);
        var inner = new CrisisAssessment(RiskLevel.Low, [CrisisCategory.Distress], [CrisisSignals.Distress]);
        var detector = new SemanticCrisisDetector(new FixedDetector(inner), MiniLmEncoder.Shared, alwaysHigh);
        CrisisAssessment result = await detector.AssessAsync(CrisisInput.ForMessage("I can't keep going like this"));
        Assert.Equal(RiskLevel.High, result.Level);
        Assert.Equal([CrisisCategory.Suicidal], result.Categories);
        Assert.Equal([CrisisSignals.Distress, SemanticCrisisDetector.Signal], result.Signals);

        SemanticCrisisModel onlyModerate = Model(moderateBias: 20, highBias: -20);
        result = await new SemanticCrisisDetector(new FixedDetector(inner), MiniLmEncoder.Shared, onlyModerate).AssessAsync(CrisisInput.ForMessage("I can't keep going like this"));
        Assert.Equal(RiskLevel.Moderate, result.Level);
    }

    [Fact]
    public async Task A_quiet_model_returns_the_construct_assessment_unchanged()
    {
        var inner = new CrisisAssessment(RiskLevel.Moderate, [CrisisCategory.Suicidal], [CrisisSignals.PassiveIdeation]);
        var detector = new SemanticCrisisDetector(new FixedDetector(inner), MiniLmEncoder.Shared, Model(moderateBias: -20, highBias: -20));
        Assert.Same(inner, await detector.AssessAsync(CrisisInput.ForMessage("I wish I could disappear")));
    }

    [Fact]
    public async Task An_inner_failure_propagates_for_the_stage_to_fail_safe()
    {
        var detector = new SemanticCrisisDetector(new ThrowingDetector(), MiniLmEncoder.Shared, SemanticCrisisModel.Default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => detector.AssessAsync(CrisisInput.ForMessage("hello")).AsTask());
    }

    [Fact]
    public async Task Earlier_turns_are_encoded_once_and_reused()
    {
        var encoder = new MiniLmEncoder(MiniLmEncoder.EmbeddedPatch());
        try
        {
            var detector = new SemanticCrisisDetector(new FixedDetector(CrisisAssessment.NoRisk), encoder, SemanticCrisisModel.Default);
            await detector.AssessAsync(new CrisisInput("second", ["first"]));
            await detector.AssessAsync(new CrisisInput("third", ["first", "second"]));
            Assert.Equal(3, encoder.CachedCount);
        }
        finally
        {
            encoder.Dispose();
        }
    }

    private static SemanticCrisisModel Blended(SemanticCrisisModel model, double weight, double veto = 0) =>
        new(model.Context, model.ModerateWeights, model.HighWeights, model.ModerateBias, model.HighBias, model.ModerateThreshold, model.HighThreshold, [])
        {
            Blend = new SemanticBlend(weight, 0.5, 0.5, veto),
            Encoder = MiniLmEncoder.Shared.PatchDigest,
        };

    private static SemanticCrisisModel Model(float moderateBias, float highBias) =>
        new(SemanticContext.Max, new float[SemanticCrisisModel.Dimensions], new float[SemanticCrisisModel.Dimensions], moderateBias, highBias, 0.5, 0.5, [])
        {
            Encoder = MiniLmEncoder.Shared.PatchDigest,
        };

    private sealed class FixedDetector(CrisisAssessment assessment) : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => ValueTask.FromResult(assessment);
    }

    private sealed class ThrowingDetector : ICrisisDetector
    {
        public ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default) => throw new InvalidOperationException("inner failed");
    }
}
