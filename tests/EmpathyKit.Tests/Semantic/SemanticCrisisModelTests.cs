using EmpathyKit.Semantic;

namespace EmpathyKit.Tests.Semantic;

public sealed class SemanticCrisisModelTests
{
    [Fact]
    public void Embedded_model_loads_with_thresholds_and_provenance()
    {
        SemanticCrisisModel model = SemanticCrisisModel.Default;
        int inputs = model.Hidden == 0 ? SemanticCrisisModel.Dimensions : model.Hidden;
        Assert.Equal(inputs, model.ModerateWeights.Length);
        Assert.Equal(inputs, model.HighWeights.Length);
        Assert.InRange(model.ModerateThreshold, 0.01, 1.01);
        Assert.InRange(model.HighThreshold, 0.01, 1.01);
        Assert.Contains(model.Provenance, line => line.Contains("learn crisis-semantic", StringComparison.Ordinal));
        Assert.Contains(model.Provenance, line => line.StartsWith("Thresholds chosen on dev only", StringComparison.Ordinal) || line.StartsWith("Chosen on dev only", StringComparison.Ordinal));
        Assert.Contains(model.ModerateWeights, w => w != 0);
    }

    [Fact]
    public void Model_round_trips_through_its_text_format()
    {
        SemanticCrisisModel model = SemanticCrisisModel.Default;
        var text = new StringWriter();
        model.Write(text, model.Provenance);
        SemanticCrisisModel read = SemanticCrisisModel.Read(new StringReader(text.ToString()));
        Assert.Equal(model.Context, read.Context);
        Assert.Equal(model.ModerateWeights, read.ModerateWeights);
        Assert.Equal(model.HighWeights, read.HighWeights);
        Assert.Equal(model.ModerateBias, read.ModerateBias);
        Assert.Equal(model.HighBias, read.HighBias);
        Assert.Equal(model.ModerateThreshold, read.ModerateThreshold);
        Assert.Equal(model.HighThreshold, read.HighThreshold);
        Assert.Equal(model.Provenance, read.Provenance);
        Assert.Equal(model.Blend, read.Blend);
    }

    [Fact]
    public void A_blend_round_trips_and_a_weight_outside_zero_to_one_is_refused()
    {
        SemanticCrisisModel model = new(SemanticContext.Mean, new float[SemanticCrisisModel.Dimensions], new float[SemanticCrisisModel.Dimensions], 0, 0, 0.5, 0.5, [])
        {
            Blend = new SemanticBlend(0.7, 0.31, 0.57),
        };
        var text = new StringWriter();
        model.Write(text, []);
        Assert.Equal(new SemanticBlend(0.7, 0.31, 0.57), SemanticCrisisModel.Read(new StringReader(text.ToString())).Blend);

        string outside = text.ToString().Replace("blend 0.7 ", "blend 1.5 ", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SemanticCrisisModel.Read(new StringReader(outside)));
    }

    [Fact]
    public void A_blend_veto_round_trips_is_absent_when_zero_and_is_refused_outside_zero_to_one()
    {
        SemanticCrisisModel model = new(SemanticContext.Mean, new float[SemanticCrisisModel.Dimensions], new float[SemanticCrisisModel.Dimensions], 0, 0, 0.5, 0.5, [])
        {
            Blend = new SemanticBlend(0.5, 0.1, 0.6, 0.0025),
        };
        var text = new StringWriter();
        model.Write(text, []);
        Assert.Contains("blend 0.5 0.1 0.6 0.0025\n", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(new SemanticBlend(0.5, 0.1, 0.6, 0.0025), SemanticCrisisModel.Read(new StringReader(text.ToString())).Blend);

        var none = new StringWriter();
        new SemanticCrisisModel(SemanticContext.Mean, new float[SemanticCrisisModel.Dimensions], new float[SemanticCrisisModel.Dimensions], 0, 0, 0.5, 0.5, [])
        {
            Blend = new SemanticBlend(0.5, 0.1, 0.6),
        }.Write(none, []);
        Assert.Contains("blend 0.5 0.1 0.6\n", none.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, SemanticCrisisModel.Read(new StringReader(none.ToString())).Blend!.Veto);

        Assert.Throws<InvalidDataException>(() => SemanticCrisisModel.Read(new StringReader(text.ToString().Replace(" 0.0025", " 1.5", StringComparison.Ordinal))));
        Assert.Throws<InvalidDataException>(() => SemanticCrisisModel.Read(new StringReader(text.ToString().Replace(" 0.0025", " -0.1", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_blend_weighs_the_two_models_log_odds()
    {
        Assert.Equal(0.9, new SemanticBlend(1, 0.5, 0.5).Mix(0.9, 0.1), 9);
        Assert.Equal(0.1, new SemanticBlend(0, 0.5, 0.5).Mix(0.9, 0.1), 9);
        Assert.Equal(0.5, new SemanticBlend(0.5, 0.5, 0.5).Mix(0.9, 0.1), 9);
        double mixed = new SemanticBlend(0.7, 0.5, 0.5).Mix(0.8, 0.6);
        Assert.Equal(SemanticCrisisModel.Sigmoid((0.7 * Math.Log(4)) + (0.3 * Math.Log(1.5))), mixed, 9);
        Assert.True(double.IsFinite(new SemanticBlend(0.5, 0.5, 0.5).Mix(0, 1)));
    }

    [Fact]
    public void An_incomplete_model_file_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => SemanticCrisisModel.Read(new StringReader("context mean\nthresholds 0.5 0.5\n")));
        Assert.Throws<InvalidDataException>(() => SemanticCrisisModel.Read(new StringReader("context mean\nthresholds 0.5 0.5\nbias 0 0\nmoderate 1 2 3\nhigh 1 2 3\n")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Features_are_the_last_turn_then_the_summary_of_at_most_ten_earlier_turns(bool max)
    {
        SemanticContext context = max ? SemanticContext.Max : SemanticContext.Mean;
        float[] last = Vector(0.5f);
        float[] none = SemanticCrisisModel.Features(context, last, []);
        Assert.Equal(last, none[..MiniLmEncoder.Dimensions]);
        Assert.All(none[MiniLmEncoder.Dimensions..], v => Assert.Equal(0f, v));

        // Most recent first: the ten read are 1..10; the eleventh (100) is past the window.
        ReadOnlyMemory<float>[] earlier = [.. Enumerable.Range(1, 10).Select(i => new ReadOnlyMemory<float>(Vector(i))), Vector(100)];
        float[] features = SemanticCrisisModel.Features(context, last, earlier);
        float expected = context == SemanticContext.Max ? 10f : 5.5f;
        Assert.All(features[MiniLmEncoder.Dimensions..], v => Assert.Equal(expected, v, 4));
    }

    private static float[] Vector(float value) => Enumerable.Repeat(value, MiniLmEncoder.Dimensions).ToArray();

    [Fact]
    public void A_hidden_layer_model_predicts_through_its_units_and_round_trips()
    {
        int d = SemanticCrisisModel.Dimensions;
        var hiddenWeights = new float[2 * d];
        hiddenWeights[0] = 1f;          // unit 0 reads feature 0
        hiddenWeights[d + 1] = -1f;     // unit 1 reads minus feature 1 (rectified away when feature 1 is positive)
        var model = new SemanticCrisisModel(SemanticContext.Max, hiddenWeights, [0f, 0.5f], [2f, 0f], [0f, 3f], -1f, 0f, 0.5, 0.6, ["test"]);
        var x = new float[d];
        x[0] = 1.5f;
        x[1] = 2f;
        (double m, double h) = model.Predict(x);
        Assert.Equal(SemanticCrisisModel.Sigmoid(-1 + (2 * 1.5)), m, 6);
        Assert.Equal(SemanticCrisisModel.Sigmoid(0), h, 6);

        var text = new StringWriter();
        model.Write(text, model.Provenance);
        SemanticCrisisModel read = SemanticCrisisModel.Read(new StringReader(text.ToString()));
        Assert.Equal(2, read.Hidden);
        Assert.Equal(model.HiddenWeights, read.HiddenWeights);
        Assert.Equal(model.HiddenBias, read.HiddenBias);
        Assert.Equal(model.Predict(x), read.Predict(x));
    }

    [Fact]
    public void A_feature_vector_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SemanticCrisisModel.Default.Predict(new float[3]));
    }
}
