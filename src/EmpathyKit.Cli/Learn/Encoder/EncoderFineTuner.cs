using System.Diagnostics;
using System.Globalization;
using EmpathyKit.Semantic;
using EmpathyKit.Semantic.Encoder;
using Microsoft.ML.OnnxRuntime;

namespace EmpathyKit.Cli.Learn.Encoder;

/// <summary>
/// Fine-tunes all-MiniLM-L6-v2's top layers for crisis detection: the states entering the lowest tuned layer are
/// computed once by ONNX Runtime (the packaged graph with that tensor exposed as an output), then the tuned layers, mean
/// pooling, L2 normalisation and two logistic heads (moderate or above; high or above, over standardised sentence
/// vectors) are trained together by mini-batch Adam on the weighted cross-entropy; the heads are thrown away and the
/// layers' weights become an <see cref="EncoderPatch"/>.
/// </summary>
/// <remarks>
/// Deterministic: fixed seed, fixed order, each batch's gradient summed in two fixed halves (one per worker) added in a
/// fixed order. Before training, the layer as read from the file is checked against ONNX Runtime's own output; a gap
/// above <see cref="MaxForwardGap"/> stops the run (the layer would not be the one the encoder runs).
/// </remarks>
internal static class EncoderFineTuner
{
    /// <summary>The largest difference allowed between this layer's sentence vectors and ONNX Runtime's.</summary>
    public const float MaxForwardGap = 1e-4f;

    private const int Width = MiniLmEncoder.Dimensions;
    private const int AttentionHeads = 12;
    private const int Inner = 1536;
    private const int BatchSize = 32;
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float AdamEpsilon = 1e-8f;
    private const int HeadWarmupEpochs = 10;

    /// <summary>A training text with its labels (null: no label for that head) and weight.</summary>
    public sealed record Example(string Text, double? Moderate, double? High, double Weight);

    /// <summary>Settings of a run.</summary>
    /// <param name="LayerLearningRate">Adam's learning rate for the layer.</param>
    /// <param name="HeadLearningRate">Adam's learning rate for the heads.</param>
    /// <param name="Checkpoints">The epochs (ascending) after which a patch is reported; the last is the number run.</param>
    /// <param name="Seed">The seed of the shuffles.</param>
    /// <param name="Layers">How many of the top layers are tuned (1: the top layer only).</param>
    public sealed record Settings(float LayerLearningRate, float HeadLearningRate, IReadOnlyList<int> Checkpoints, int Seed, int Layers = 1);

    /// <summary>Describes the settings for a model file's header.</summary>
    /// <param name="layerRate">The layer's learning rate.</param>
    /// <param name="headRate">The heads' learning rate.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="layers">How many top layers are tuned.</param>
    /// <returns>The description.</returns>
    public static string Description(float layerRate, float headRate, int seed, int layers = 1) => string.Create(
        CultureInfo.InvariantCulture,
        $"two logistic heads over the standardised sentence vector, warmed {HeadWarmupEpochs} epochs on the unchanged {(layers == 1 ? "layer" : "layers")}, then trained with the {(layers == 1 ? "layer" : "layers")}: mini-batch Adam, batch {BatchSize}, learning rates {layerRate:0e0} ({(layers == 1 ? "layer" : "layers")}) and {headRate:0e0} (heads), seed {seed}; the heads are then dropped");

    /// <summary>Runs the fine-tuning, reporting a patch after each checkpoint epoch.</summary>
    /// <param name="examples">The training texts.</param>
    /// <param name="packagedVectors">A text's sentence vector from the packaged encoder.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="checkpoint">Receives the epoch and the patch of the layer at that point.</param>
    /// <param name="progress">Where progress lines go.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static void Train(IReadOnlyList<Example> examples, Func<string, float[]> packagedVectors, Settings settings, Action<int, EncoderPatch> checkpoint, TextWriter progress, CancellationToken cancellationToken)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        byte[] model = MiniLmEncoder.PackagedModel();
        OnnxGraph graph = OnnxGraph.Parse(model);
        (string[] prefixes, string entering) = TopLayers(graph, settings.Layers);
        TransformerLayer[] layers = [.. prefixes.Select(p => TransformerLayer.FromGraph(graph, p, Width, AttentionHeads, Inner))];

        // The states entering the lowest tuned layer, once per text.
        using var baseEncoder = new MiniLmEncoder();
        float[][] states = new float[examples.Count][];
        int[] tokens = new int[examples.Count];
        using (SessionOptions options = MiniLmEncoder.CreateSessionOptions())
        using (var session = new InferenceSession(graph.WithOutput(entering), options))
        {
            int done = 0;
            Parallel.For(0, examples.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken }, i =>
            {
                long[] ids = baseEncoder.Tokenize(examples[i].Text);
                using IDisposableReadOnlyCollection<OrtValue> outputs = MiniLmEncoder.Run(session, ids, entering);
                states[i] = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                tokens[i] = ids.Length;
                if (Interlocked.Increment(ref done) % 4000 == 0)
                {
                    progress.WriteLine(string.Create(c, $"encoder fine-tuning: {done}/{examples.Count} texts read to the tuned layers ({clock.Elapsed.TotalSeconds:0} s)"));
                }
            });
        }

        // The layers as read must be the layers ONNX Runtime runs.
        float gap = 0;
        for (int i = 0; i < Math.Min(16, examples.Count); i++)
        {
            float[] mine = Sentence(Forward(layers, states[i], tokens[i])[^1].Output, tokens[i], out _);
            float[] theirs = baseEncoder.Encode(examples[i].Text);
            for (int k = 0; k < Width; k++)
            {
                gap = MathF.Max(gap, MathF.Abs(mine[k] - theirs[k]));
            }
        }

        progress.WriteLine(string.Create(c, $"encoder fine-tuning: layers {string.Join(", ", prefixes.Select(p => $"'{p}'"))} match ONNX Runtime within {gap:0.0e0} ({clock.Elapsed.TotalSeconds:0} s)"));
        if (!(gap <= MaxForwardGap))
        {
            throw new InvalidOperationException($"The layers computed here differ from ONNX Runtime's by {gap} (more than {MaxForwardGap}); not fine-tuning.");
        }

        // Standardisation and warm heads from the unchanged encoder's vectors (the check above shows they are these layers').
        float[][] vectors = [.. examples.Select(e => packagedVectors(e.Text))];
        (float[] mean, float[] std) = SemanticCrisisTrainer.Standardisation(vectors);
        var heads = new Heads(Width);
        var random = new Random(settings.Seed);
        int[] order = [.. Enumerable.Range(0, examples.Count).Where(i => examples[i].Moderate is not null || examples[i].High is not null)];
        WarmHeads(heads, vectors, examples, order, mean, std, settings.HeadLearningRate, random);
        progress.WriteLine(string.Create(c, $"encoder fine-tuning: heads warmed on the unchanged encoder, loss {Loss(heads, vectors, examples, order, mean, std):0.0000} ({clock.Elapsed.TotalSeconds:0} s)"));

        // Joint training.
        float[][] parameters = Flat(layers);
        float[][] m1 = Flat(Zeros(layers)), m2 = Flat(Zeros(layers));
        var hm1 = new Heads(Width);
        var hm2 = new Heads(Width);
        TransformerLayer[][] gradients = [Zeros(layers), Zeros(layers)];
        float[][][] flatGradients = [Flat(gradients[0]), Flat(gradients[1])];
        Heads[] headGradients = [new Heads(Width), new Heads(Width)];
        double[] losses = new double[2];
        int step = 0;
        int epochs = settings.Checkpoints[^1];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            double epochLoss = 0, epochWeight = 0;
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int end = Math.Min(order.Length, start + BatchSize);
                int middle = start + ((end - start + 1) / 2);
                double total = 0;
                for (int j = start; j < end; j++)
                {
                    total += examples[order[j]].Weight;
                }

                Parallel.Invoke(
                    () => losses[0] = Accumulate(layers, heads, examples, states, tokens, order, start, middle, mean, std, gradients[0], headGradients[0]),
                    () => losses[1] = Accumulate(layers, heads, examples, states, tokens, order, middle, end, mean, std, gradients[1], headGradients[1]));
                epochLoss += losses[0] + losses[1];
                epochWeight += total;
                step++;
                float scale = (float)(1 / total);
                float correction1 = 1 - MathF.Pow(Beta1, step), correction2 = 1 - MathF.Pow(Beta2, step);
                for (int p = 0; p < parameters.Length; p++)
                {
                    Update(parameters[p], flatGradients[0][p], flatGradients[1][p], m1[p], m2[p], scale, settings.LayerLearningRate, correction1, correction2);
                }

                for (int p = 0; p < heads.Parameters.Length; p++)
                {
                    Update(heads.Parameters[p], headGradients[0].Parameters[p], headGradients[1].Parameters[p], hm1.Parameters[p], hm2.Parameters[p], scale, settings.HeadLearningRate, correction1, correction2);
                }
            }

            progress.WriteLine(string.Create(c, $"encoder fine-tuning: epoch {epoch}, training loss {epochLoss / epochWeight:0.0000} ({clock.Elapsed.TotalSeconds:0} s)"));
            if (settings.Checkpoints.Contains(epoch))
            {
                var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
                for (int l = 0; l < layers.Length; l++)
                {
                    for (int p = 0; p < layers[l].Parameters.Length; p++)
                    {
                        tensors[prefixes[l] + TransformerLayer.Names[p]] = (float[])layers[l].Parameters[p].Clone();
                    }
                }

                checkpoint(epoch, new EncoderPatch(tensors));
            }
        }
    }

    /// <summary>Finds the top encoder layer's name prefix and the tensor that enters it.</summary>
    /// <param name="graph">The parsed model.</param>
    /// <returns>The prefix ("encoder.layer.5.") and the entering tensor's name.</returns>
    internal static (string Prefix, string Entering) TopLayer(OnnxGraph graph)
    {
        (string[] prefixes, string entering) = TopLayers(graph, 1);
        return (prefixes[0], entering);
    }

    /// <summary>Finds the name prefixes of the top <paramref name="count"/> encoder layers, lowest first, and the tensor that enters the lowest.</summary>
    /// <param name="graph">The parsed model.</param>
    /// <param name="count">How many layers, from 1 to the encoder's depth.</param>
    /// <returns>The prefixes ("encoder.layer.4.", "encoder.layer.5.") and the entering tensor's name.</returns>
    internal static (string[] Prefixes, string Entering) TopLayers(OnnxGraph graph, int count)
    {
        int top = graph.Initializers.Keys
            .Where(n => n.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(n => int.Parse(n.AsSpan("encoder.layer.".Length, n.IndexOf('.', "encoder.layer.".Length) - "encoder.layer.".Length), CultureInfo.InvariantCulture))
            .Max();
        if (count < 1 || count > top + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The encoder has {top + 1} layers.");
        }

        string[] prefixes = [.. Enumerable.Range(top - count + 1, count).Select(l => string.Create(CultureInfo.InvariantCulture, $"encoder.layer.{l}."))];
        string query = graph.NamedWeights()[prefixes[0] + "attention.self.query.weight"];
        OnnxGraph.Node matmul = graph.Nodes.First(n => n.Op == "MatMul" && n.Inputs.Contains(query));
        return (prefixes, matmul.Inputs.First(i => i != query));
    }

    /// <summary>Runs the layers in order over one sequence; the last pass's output is the stack's.</summary>
    internal static TransformerLayer.Pass[] Forward(TransformerLayer[] layers, float[] input, int tokens)
    {
        var passes = new TransformerLayer.Pass[layers.Length];
        float[] x = input;
        for (int l = 0; l < layers.Length; l++)
        {
            passes[l] = layers[l].Forward(x, tokens);
            x = passes[l].Output;
        }

        return passes;
    }

    private static TransformerLayer[] Zeros(TransformerLayer[] layers) => [.. layers.Select(l => l.ZerosLike())];

    private static float[][] Flat(TransformerLayer[] layers) => [.. layers.SelectMany(l => l.Parameters)];

    /// <summary>Mean-pools a sequence's output states and L2-normalises the result, as the encoder does.</summary>
    internal static float[] Sentence(float[] output, int tokens, out float norm)
    {
        var pooled = new float[Width];
        for (int t = 0; t < tokens; t++)
        {
            TransformerLayer.Axpy(1f / tokens, output.AsSpan(t * Width, Width), pooled);
        }

        double square = 0;
        foreach (float v in pooled)
        {
            square += (double)v * v;
        }

        norm = (float)Math.Max(Math.Sqrt(square), 1e-12);
        var vector = new float[Width];
        for (int k = 0; k < Width; k++)
        {
            vector[k] = pooled[k] / norm;
        }

        return vector;
    }

    /// <summary>Forward and backward over part of a batch; returns the part's weighted loss.</summary>
    private static double Accumulate(TransformerLayer[] layers, Heads heads, IReadOnlyList<Example> examples, float[][] states, int[] tokens, int[] order, int start, int end, float[] mean, float[] std, TransformerLayer[] gradients, Heads headGradient)
    {
        foreach (float[] p in Flat(gradients))
        {
            Array.Clear(p);
        }

        foreach (float[] p in headGradient.Parameters)
        {
            Array.Clear(p);
        }

        double loss = 0;
        float[] dz = new float[Width];
        for (int j = start; j < end; j++)
        {
            int i = order[j];
            Example example = examples[i];
            TransformerLayer.Pass[] passes = Forward(layers, states[i], tokens[i]);
            float[] v = Sentence(passes[^1].Output, tokens[i], out float norm);
            float[] z = Standardised(v, mean, std);
            Array.Clear(dz);
            loss += heads.Backward(z, example, headGradient, dz);

            // Through the standardisation, the normalisation and the mean.
            float dot = 0;
            for (int k = 0; k < Width; k++)
            {
                dz[k] /= std[k];
                dot += dz[k] * v[k];
            }

            float[] dOutput = new float[tokens[i] * Width];
            for (int k = 0; k < Width; k++)
            {
                float dp = (dz[k] - (v[k] * dot)) / norm / tokens[i];
                for (int t = 0; t < tokens[i]; t++)
                {
                    dOutput[(t * Width) + k] = dp;
                }
            }

            for (int l = layers.Length - 1; l >= 0; l--)
            {
                float[]? dInput = l > 0 ? new float[tokens[i] * Width] : null;
                layers[l].Backward(passes[l], dOutput, gradients[l], dInput);
                dOutput = dInput!;
            }
        }

        return loss;
    }

    private static void Update(float[] parameter, float[] g0, float[] g1, float[] m, float[] v, float scale, float rate, float correction1, float correction2)
    {
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = (g0[i] + g1[i]) * scale;
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g * g);
            parameter[i] -= rate * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + AdamEpsilon);
        }
    }

    private static void WarmHeads(Heads heads, float[][] vectors, IReadOnlyList<Example> examples, int[] order, float[] mean, float[] std, float rate, Random random)
    {
        var gradient = new Heads(Width);
        var zero = new Heads(Width);
        var m = new Heads(Width);
        var v = new Heads(Width);
        float[] dz = new float[Width];
        int step = 0;
        int[] shuffled = (int[])order.Clone();
        for (int epoch = 0; epoch < HeadWarmupEpochs; epoch++)
        {
            random.Shuffle(shuffled);
            for (int start = 0; start < shuffled.Length; start += BatchSize)
            {
                int end = Math.Min(shuffled.Length, start + BatchSize);
                foreach (float[] p in gradient.Parameters)
                {
                    Array.Clear(p);
                }

                double total = 0;
                for (int j = start; j < end; j++)
                {
                    int i = shuffled[j];
                    heads.Backward(Standardised(vectors[i], mean, std), examples[i], gradient, dz);
                    total += examples[i].Weight;
                }

                step++;
                float correction1 = 1 - MathF.Pow(Beta1, step), correction2 = 1 - MathF.Pow(Beta2, step);
                for (int p = 0; p < heads.Parameters.Length; p++)
                {
                    Update(heads.Parameters[p], gradient.Parameters[p], zero.Parameters[p], m.Parameters[p], v.Parameters[p], (float)(1 / total), rate, correction1, correction2);
                }
            }
        }
    }

    private static double Loss(Heads heads, float[][] vectors, IReadOnlyList<Example> examples, int[] order, float[] mean, float[] std)
    {
        var scratch = new Heads(Width);
        float[] dz = new float[Width];
        double loss = 0, total = 0;
        foreach (int i in order)
        {
            loss += heads.Backward(Standardised(vectors[i], mean, std), examples[i], scratch, dz);
            total += examples[i].Weight;
        }

        return loss / total;
    }

    private static float[] Standardised(float[] v, float[] mean, float[] std)
    {
        var z = new float[v.Length];
        for (int k = 0; k < v.Length; k++)
        {
            z[k] = (v[k] - mean[k]) / std[k];
        }

        return z;
    }

    /// <summary>The two logistic heads used while fine-tuning (weights for moderate, then high, then the two biases).</summary>
    private sealed class Heads(int width)
    {
        public float[][] Parameters { get; } = [new float[width], new float[width], new float[2]];

        /// <summary>Adds the heads' gradients and dLoss/dz (into <paramref name="dz"/>); returns the weighted loss.</summary>
        public double Backward(float[] z, Example example, Heads gradient, float[] dz)
        {
            double loss = 0;
            loss += Head(0, example.Moderate, z, example.Weight, gradient, dz);
            loss += Head(1, example.High, z, example.Weight, gradient, dz);
            return loss;
        }

        private double Head(int h, double? label, float[] z, double weight, Heads gradient, float[] dz)
        {
            if (label is not { } y)
            {
                return 0;
            }

            float[] w = Parameters[h];
            double score = Parameters[2][h] + TransformerLayer.Dot(w, z);
            double p = SemanticCrisisModel.Sigmoid(score);
            float error = (float)((p - y) * weight);
            TransformerLayer.Axpy(error, z, gradient.Parameters[h]);
            gradient.Parameters[2][h] += error;
            TransformerLayer.Axpy(error, w, dz);
            return -weight * ((y * Math.Log(Math.Max(p, 1e-12))) + ((1 - y) * Math.Log(Math.Max(1 - p, 1e-12))));
        }
    }
}
