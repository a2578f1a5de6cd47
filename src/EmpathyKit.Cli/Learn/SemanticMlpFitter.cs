using EmpathyKit.Semantic;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// Fits the semantic crisis model's two heads over a shared hidden layer of rectified units: mini-batch Adam on the
/// weighted cross-entropy of both heads (a row without a label for a head, a band across its level, adds nothing to
/// that head), L2 on the weights, standardised inputs folded back into the first layer's weights at the end.
/// </summary>
/// <remarks>
/// Deterministic: the initial weights come from a seeded generator, the rows are shuffled by it, and a batch's gradient
/// is summed in two fixed halves (one per worker) added in a fixed order, with dot products in a fixed order
/// (<see cref="SemanticCrisisModel.Dot"/>), so the same data gives the same file on any machine.
/// </remarks>
internal static class SemanticMlpFitter
{
    private const int BatchSize = 64;
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <summary>The fitted weights, standardisation folded in.</summary>
    public sealed record Result(float[] HiddenWeights, float[] HiddenBias, float[] ModerateWeights, float ModerateBias, float[] HighWeights, float HighBias);

    /// <summary>
    /// Joins networks fitted from different seeds into one whose heads give the mean of their log-odds: the hidden units
    /// side by side, each head's output weights divided by the count, the biases averaged.
    /// </summary>
    /// <param name="members">The networks, each with the same number of inputs.</param>
    /// <returns>The joined network (the only one when there is one).</returns>
    public static Result Average(IReadOnlyList<Result> members)
    {
        if (members.Count == 1)
        {
            return members[0];
        }

        float share = 1f / members.Count;
        float[] Scaled(Func<Result, float[]> part) => [.. members.SelectMany(m => part(m).Select(v => v * share))];
        return new Result(
            [.. members.SelectMany(m => m.HiddenWeights)],
            [.. members.SelectMany(m => m.HiddenBias)],
            Scaled(m => m.ModerateWeights),
            members.Sum(m => m.ModerateBias) * share,
            Scaled(m => m.HighWeights),
            members.Sum(m => m.HighBias) * share);
    }

    /// <summary>Fits the network, calling <paramref name="checkpoint"/> after each epoch listed in <paramref name="checkpoints"/>.</summary>
    /// <param name="x">The feature rows (<see cref="SemanticCrisisModel.Dimensions"/> each).</param>
    /// <param name="moderate">Per row, 1, 0 or no label for the moderate head.</param>
    /// <param name="high">Per row, 1, 0 or no label for the high head.</param>
    /// <param name="sampleWeights">Per row, its weight.</param>
    /// <param name="mean">The features' means (standardisation).</param>
    /// <param name="std">The features' standard deviations.</param>
    /// <param name="hidden">The number of hidden units.</param>
    /// <param name="l2">The L2 penalty on the weights.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="seed">The seed of the initial weights and the shuffles.</param>
    /// <param name="checkpoints">The epochs (1-based, ascending) after which to report; the last is the number of epochs run.</param>
    /// <param name="checkpoint">Receives the epoch and the weights at that point.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static void Fit(
        float[][] x, double?[] moderate, double?[] high, double[] sampleWeights, float[] mean, float[] std,
        int hidden, double l2, double learningRate, int seed, IReadOnlyList<int> checkpoints, Action<int, Result> checkpoint, CancellationToken cancellationToken)
    {
        int d = SemanticCrisisModel.Dimensions;
        int[] rows = [.. Enumerable.Range(0, x.Length).Where(i => moderate[i] is not null || high[i] is not null)];
        float[][] z = Standardised(x, rows, mean, std);
        var random = new Random(seed);
        var net = new Parameters(hidden, d);
        float first = (float)Math.Sqrt(6.0 / d);
        float second = (float)Math.Sqrt(6.0 / (hidden + 1));
        for (int i = 0; i < net.W1.Length; i++)
        {
            net.W1[i] = (float)((random.NextDouble() * 2) - 1) * first;
        }

        for (int j = 0; j < hidden; j++)
        {
            net.Vm[j] = (float)((random.NextDouble() * 2) - 1) * second;
            net.Vh[j] = (float)((random.NextDouble() * 2) - 1) * second;
        }

        var adamM = new Parameters(hidden, d);
        var adamV = new Parameters(hidden, d);
        Parameters[] grads = [new(hidden, d), new(hidden, d)];
        var total = new Parameters(hidden, d);
        int[] order = [.. Enumerable.Range(0, rows.Length)];
        int step = 0;
        int epochs = checkpoints[^1];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int end = Math.Min(order.Length, start + BatchSize);
                int middle = start + ((end - start) / 2);
                var weightSums = new double[2];
                Parallel.For(0, 2, part =>
                {
                    Parameters g = grads[part];
                    g.Clear();
                    var a = new float[hidden];
                    var h = new float[hidden];
                    double weightSum = 0;
                    for (int j = part == 0 ? start : middle; j < (part == 0 ? middle : end); j++)
                    {
                        int r = order[j];
                        float[] row = z[r];
                        for (int u = 0; u < hidden; u++)
                        {
                            a[u] = net.B1[u] + SemanticCrisisModel.Dot(net.W1.AsSpan(u * d, d), row);
                            h[u] = Math.Max(0f, a[u]);
                        }

                        float weight = (float)sampleWeights[rows[r]];
                        float em = 0, eh = 0;
                        if (moderate[rows[r]] is double ym)
                        {
                            em = ((float)SemanticCrisisModel.Sigmoid(net.Cm + SemanticCrisisModel.Dot(net.Vm, h)) - (float)ym) * weight;
                        }

                        if (high[rows[r]] is double yh)
                        {
                            eh = ((float)SemanticCrisisModel.Sigmoid(net.Ch + SemanticCrisisModel.Dot(net.Vh, h)) - (float)yh) * weight;
                        }

                        g.Cm += em;
                        g.Ch += eh;
                        for (int u = 0; u < hidden; u++)
                        {
                            g.Vm[u] += em * h[u];
                            g.Vh[u] += eh * h[u];
                            float back = a[u] > 0 ? (em * net.Vm[u]) + (eh * net.Vh[u]) : 0f;
                            if (back != 0f)
                            {
                                g.B1[u] += back;
                                Span<float> gw = g.W1.AsSpan(u * d, d);
                                for (int k = 0; k < d; k++)
                                {
                                    gw[k] += back * row[k];
                                }
                            }
                        }

                        weightSum += weight;
                    }

                    weightSums[part] = weightSum;
                });

                float scale = (float)(1.0 / Math.Max(1e-12, weightSums[0] + weightSums[1]));
                total.SumOf(grads[0], grads[1], scale);
                step++;
                float lr = (float)(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
                Adam(net.W1, total.W1, adamM.W1, adamV.W1, lr, (float)l2);
                Adam(net.B1, total.B1, adamM.B1, adamV.B1, lr, 0f);
                Adam(net.Vm, total.Vm, adamM.Vm, adamV.Vm, lr, (float)l2);
                Adam(net.Vh, total.Vh, adamM.Vh, adamV.Vh, lr, (float)l2);
                net.Cm -= AdamScalar(total.Cm, ref adamM.Cm, ref adamV.Cm, lr);
                net.Ch -= AdamScalar(total.Ch, ref adamM.Ch, ref adamV.Ch, lr);
            }

            if (checkpoints.Contains(epoch))
            {
                checkpoint(epoch, Fold(net, mean, std));
            }
        }
    }

    /// <summary>The given rows of <paramref name="x"/>, standardised: (value - mean) / std, feature by feature.</summary>
    /// <param name="x">The feature rows.</param>
    /// <param name="rows">Which rows, in order.</param>
    /// <param name="mean">The features' means.</param>
    /// <param name="std">The features' standard deviations.</param>
    /// <returns>New rows, one per index in <paramref name="rows"/>.</returns>
    public static float[][] Standardised(float[][] x, int[] rows, float[] mean, float[] std)
    {
        int d = mean.Length;
        var z = new float[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            float[] row = x[rows[r]];
            var standard = new float[d];
            for (int k = 0; k < d; k++)
            {
                standard[k] = (row[k] - mean[k]) / std[k];
            }

            z[r] = standard;
        }

        return z;
    }

    private static void Adam(float[] w, float[] g, float[] m, float[] v, float lr, float l2)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float gi = g[i] + (l2 * w[i]);
            m[i] = (Beta1 * m[i]) + ((1 - Beta1) * gi);
            v[i] = (Beta2 * v[i]) + ((1 - Beta2) * gi * gi);
            w[i] -= lr * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
        }
    }

    private static float AdamScalar(float g, ref float m, ref float v, float lr)
    {
        m = (Beta1 * m) + ((1 - Beta1) * g);
        v = (Beta2 * v) + ((1 - Beta2) * g * g);
        return lr * m / (MathF.Sqrt(v) + Epsilon);
    }

    /// <summary>Folds the standardisation into the first layer: W·(x - mean)/std + b = (W/std)·x + (b - Σ W·mean/std).</summary>
    private static Result Fold(Parameters net, float[] mean, float[] std)
    {
        int d = mean.Length;
        int hidden = net.B1.Length;
        var w1 = new float[net.W1.Length];
        var b1 = new float[hidden];
        for (int u = 0; u < hidden; u++)
        {
            double bias = net.B1[u];
            for (int k = 0; k < d; k++)
            {
                float w = net.W1[(u * d) + k];
                w1[(u * d) + k] = w / std[k];
                bias -= (double)w * mean[k] / std[k];
            }

            b1[u] = (float)bias;
        }

        return new Result(w1, b1, [.. net.Vm], net.Cm, [.. net.Vh], net.Ch);
    }

    /// <summary>The network's parameters (or a gradient, or an Adam moment of the same shape).</summary>
    private sealed class Parameters(int hidden, int d)
    {
        public float[] W1 { get; } = new float[hidden * d];

        public float[] B1 { get; } = new float[hidden];

        public float[] Vm { get; } = new float[hidden];

        public float[] Vh { get; } = new float[hidden];

        public float Cm;

        public float Ch;

        public void Clear()
        {
            Array.Clear(W1);
            Array.Clear(B1);
            Array.Clear(Vm);
            Array.Clear(Vh);
            Cm = 0;
            Ch = 0;
        }

        public void SumOf(Parameters a, Parameters b, float scale)
        {
            for (int i = 0; i < W1.Length; i++)
            {
                W1[i] = (a.W1[i] + b.W1[i]) * scale;
            }

            for (int i = 0; i < B1.Length; i++)
            {
                B1[i] = (a.B1[i] + b.B1[i]) * scale;
                Vm[i] = (a.Vm[i] + b.Vm[i]) * scale;
                Vh[i] = (a.Vh[i] + b.Vh[i]) * scale;
            }

            Cm = (a.Cm + b.Cm) * scale;
            Ch = (a.Ch + b.Ch) * scale;
        }
    }
}
