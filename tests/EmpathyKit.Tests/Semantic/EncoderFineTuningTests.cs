using EmpathyKit.Cli.Learn.Encoder;
using EmpathyKit.Semantic;
using EmpathyKit.Semantic.Encoder;
using Microsoft.ML.OnnxRuntime;

namespace EmpathyKit.Tests.Semantic;

/// <summary>The encoder's top-layer fine-tuning: the layer's maths, the ONNX file surgery and the patch format.</summary>
public sealed class EncoderFineTuningTests
{
    private static readonly Lazy<OnnxGraph> Packaged = new(() => OnnxGraph.Parse(MiniLmEncoder.PackagedModel()));

    [Fact]
    public void Layer_gradients_match_finite_differences()
    {
        var random = new Random(7);
        var layer = new TransformerLayer(width: 8, heads: 2, inner: 12);
        foreach (float[] p in layer.Parameters)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
            }
        }

        const int tokens = 3;
        float[] input = [.. Enumerable.Range(0, tokens * 8).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] weights = [.. Enumerable.Range(0, tokens * 8).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        double Loss() => layer.Forward(input, tokens).Output.Select((v, i) => (double)v * weights[i]).Sum();

        TransformerLayer gradient = layer.ZerosLike();
        layer.Backward(layer.Forward(input, tokens), weights, gradient);

        for (int p = 0; p < layer.Parameters.Length; p++)
        {
            AssertMatchesFiniteDifferences(Loss, layer.Parameters[p], gradient.Parameters[p], TransformerLayer.Names[p], Math.Max(1, layer.Parameters[p].Length / 7));
        }
    }

    [Fact]
    public void Input_gradients_through_two_stacked_layers_match_finite_differences()
    {
        var random = new Random(11);
        TransformerLayer[] layers = [new TransformerLayer(width: 8, heads: 2, inner: 12), new TransformerLayer(width: 8, heads: 2, inner: 12)];
        foreach (float[] p in layers.SelectMany(l => l.Parameters))
        {
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
            }
        }

        const int tokens = 3;
        float[] input = [.. Enumerable.Range(0, tokens * 8).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] weights = [.. Enumerable.Range(0, tokens * 8).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        double Loss() => EncoderFineTuner.Forward(layers, input, tokens)[^1].Output.Select((v, i) => (double)v * weights[i]).Sum();

        // Backward through the top layer into the lower one, as the fine-tuner does.
        TransformerLayer.Pass[] passes = EncoderFineTuner.Forward(layers, input, tokens);
        TransformerLayer[] gradients = [layers[0].ZerosLike(), layers[1].ZerosLike()];
        float[] between = new float[tokens * 8];
        float[] atInput = new float[tokens * 8];
        layers[1].Backward(passes[1], weights, gradients[1], between);
        layers[0].Backward(passes[0], between, gradients[0], atInput);

        AssertMatchesFiniteDifferences(Loss, input, atInput, "input", 1);

        // The lower layer's parameters get their gradients through the upper one.
        AssertMatchesFiniteDifferences(Loss, layers[0].Parameters[0], gradients[0].Parameters[0], TransformerLayer.Names[0], Math.Max(1, layers[0].Parameters[0].Length / 7));
    }

    [Fact]
    public void The_top_two_layers_computed_here_are_the_ones_onnx_runtime_runs()
    {
        OnnxGraph graph = Packaged.Value;
        (string[] prefixes, string entering) = EncoderFineTuner.TopLayers(graph, 2);
        Assert.Equal(["encoder.layer.4.", "encoder.layer.5."], prefixes);
        TransformerLayer[] layers = [.. prefixes.Select(p => TransformerLayer.FromGraph(graph, p, 384, 12, 1536))];
        Assert.Throws<ArgumentOutOfRangeException>(() => EncoderFineTuner.TopLayers(graph, 7));

        using var encoder = new MiniLmEncoder();
        using var session = new InferenceSession(graph.WithOutput(entering));
        const string text = "i bought a rope this afternoon";
        long[] ids = encoder.Tokenize(text);
        using IDisposableReadOnlyCollection<OrtValue> outputs = MiniLmEncoder.Run(session, ids, entering);
        float[] states = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        float[] mine = EncoderFineTuner.Sentence(EncoderFineTuner.Forward(layers, states, ids.Length)[^1].Output, ids.Length, out _);
        float[] theirs = encoder.Encode(text);
        Assert.True(mine.Zip(theirs).Max(p => Math.Abs(p.First - p.Second)) <= EncoderFineTuner.MaxForwardGap);
    }

    [Fact]
    public void Gelu_and_erf_match_known_values()
    {
        Assert.Equal(0.0, TransformerLayer.Erf(0), 1e-7);
        Assert.Equal(0.8427007929, TransformerLayer.Erf(1), 2e-7);
        Assert.Equal(-0.9953222650, TransformerLayer.Erf(-2), 2e-7);
        Assert.Equal(0.8413447461f, TransformerLayer.Gelu(1), 1e-6f);
        Assert.Equal(-0.0455002639f, TransformerLayer.Gelu(-2), 1e-6f);
    }

    [Fact]
    public void The_top_layer_computed_here_is_the_one_onnx_runtime_runs()
    {
        OnnxGraph graph = Packaged.Value;
        (string prefix, string entering) = EncoderFineTuner.TopLayer(graph);
        Assert.Equal("encoder.layer.5.", prefix);
        TransformerLayer layer = TransformerLayer.FromGraph(graph, prefix, 384, 12, 1536);

        using var encoder = new MiniLmEncoder();
        using var session = new InferenceSession(graph.WithOutput(entering));
        foreach (string text in new[] { "i bought a rope this afternoon", "we're planning a trip to the golden gate bridge, any tips on parking near the viewpoint?" })
        {
            long[] ids = encoder.Tokenize(text);
            using IDisposableReadOnlyCollection<OrtValue> outputs = MiniLmEncoder.Run(session, ids, entering);
            float[] states = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(ids.Length * 384, states.Length);

            float[] mine = EncoderFineTuner.Sentence(layer.Forward(states, ids.Length).Output, ids.Length, out _);
            float[] theirs = encoder.Encode(text);
            Assert.True(mine.Zip(theirs).Max(p => Math.Abs(p.First - p.Second)) <= EncoderFineTuner.MaxForwardGap);
        }
    }

    [Fact]
    public void Every_layer_weight_is_found_by_its_bias_name()
    {
        Dictionary<string, string> named = Packaged.Value.NamedWeights();
        for (int l = 0; l < 6; l++)
        {
            foreach (string name in TransformerLayer.Names.Where(n => n.EndsWith(".weight", StringComparison.Ordinal) && !n.Contains("LayerNorm", StringComparison.Ordinal)))
            {
                Assert.True(named.ContainsKey($"encoder.layer.{l}.{name}"), name);
            }
        }
    }

    [Fact]
    public void A_patch_round_trips_through_its_file_and_keeps_its_digest()
    {
        var patch = new EncoderPatch(new Dictionary<string, float[]> { ["a.bias"] = [1f, -0.5f, 0.3333f], ["b.weight"] = [2f] });
        using var buffer = new MemoryStream();
        patch.Write(buffer);
        buffer.Position = 0;
        EncoderPatch read = EncoderPatch.Read(buffer);
        Assert.Equal(patch.Digest, read.Digest);
        Assert.Equal(patch.Tensors["a.bias"], read.Tensors["a.bias"]);
        Assert.Equal((float)(Half)0.3333f, read.Tensors["a.bias"][2]);
        Assert.NotEqual(EncoderPatch.NoneDigest, patch.Digest);
    }

    [Fact]
    public void A_damaged_patch_file_is_refused()
    {
        var patch = new EncoderPatch(new Dictionary<string, float[]> { ["a.bias"] = [1f, 2f, 3f] });
        using var buffer = new MemoryStream();
        patch.Write(buffer);
        byte[] bytes = buffer.ToArray();
        Assert.Throws<InvalidDataException>(() => EncoderPatch.Read(new MemoryStream(bytes[..^2])));
        bytes[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => EncoderPatch.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void A_patch_changes_the_vectors_and_an_unchanged_one_does_not()
    {
        OnnxGraph graph = Packaged.Value;
        const string bias = "encoder.layer.5.output.LayerNorm.bias";
        float[] original = graph.ReadFloats(bias);
        using var packaged = new MiniLmEncoder();
        const string text = "i can't stop thinking about the bridge";
        float[] before = packaged.Encode(text);

        // Half-precision copies of the weights change the vector by rounding only.
        using (var same = new MiniLmEncoder(new EncoderPatch(new Dictionary<string, float[]> { [bias] = original })))
        {
            float[] after = same.Encode(text);
            Assert.True(before.Zip(after).Max(p => Math.Abs(p.First - p.Second)) < 1e-3);
            Assert.NotEqual(EncoderPatch.NoneDigest, same.PatchDigest);
        }

        float[] shifted = [.. original.Select((v, i) => i % 2 == 0 ? v + 1 : v)];
        using var changed = new MiniLmEncoder(new EncoderPatch(new Dictionary<string, float[]> { [bias] = shifted }));
        Assert.True(before.Zip(changed.Encode(text)).Max(p => Math.Abs(p.First - p.Second)) > 1e-2);
    }

    [Fact]
    public void A_patch_for_a_missing_or_differently_sized_weight_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => new MiniLmEncoder(new EncoderPatch(new Dictionary<string, float[]> { ["encoder.layer.9.output.dense.weight"] = [1f] })));
        Assert.Throws<InvalidDataException>(() => new MiniLmEncoder(new EncoderPatch(new Dictionary<string, float[]> { ["encoder.layer.5.output.LayerNorm.bias"] = [1f, 2f] })));
    }

    [Fact]
    public void The_embedded_model_names_the_embedded_encoder_weights()
    {
        Assert.Equal(MiniLmEncoder.Shared.PatchDigest, SemanticCrisisModel.Default.Encoder);
        Assert.Equal(MiniLmEncoder.EmbeddedPatch()?.Digest ?? EncoderPatch.NoneDigest, MiniLmEncoder.Shared.PatchDigest);
    }

    [Fact]
    public void A_model_trained_over_other_encoder_weights_is_refused()
    {
        SemanticCrisisModel model = SemanticCrisisModel.Default;
        var other = new SemanticCrisisModel(model.Context, model.HiddenWeights, model.HiddenBias, model.ModerateWeights, model.HighWeights, model.ModerateBias, model.HighBias, model.ModerateThreshold, model.HighThreshold, [])
        {
            Blend = model.Blend,
            Encoder = "0123456789abcdef",
        };
        Assert.Throws<InvalidDataException>(() => new SemanticCrisisDetector(EmpathyKit.Crisis.Constructs.ConstructCrisisDetector.Default, MiniLmEncoder.Shared, other));

        using var writer = new StringWriter();
        other.Write(writer, []);
        Assert.Equal("0123456789abcdef", SemanticCrisisModel.Read(new StringReader(writer.ToString())).Encoder);
    }

    /// <summary>Checks an analytic gradient against central differences of the loss, every <paramref name="step"/>-th value.</summary>
    private static void AssertMatchesFiniteDifferences(Func<double> loss, float[] values, float[] analytic, string name, int step)
    {
        const float h = 1e-2f;
        for (int i = 0; i < values.Length; i += step)
        {
            float saved = values[i];
            values[i] = saved + h;
            double up = loss();
            values[i] = saved - h;
            double down = loss();
            values[i] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + (2e-2 * Math.Abs(numeric)), $"{name}[{i}]: analytic {analytic[i]}, numeric {numeric}");
        }
    }
}
