using System.Numerics;
using System.Runtime.InteropServices;
using EmpathyKit.Semantic.Encoder;

namespace EmpathyKit.Cli.Learn.Encoder;

/// <summary>
/// One BERT encoder layer (as all-MiniLM-L6-v2's ONNX graph computes it) with its backward pass, for fine-tuning the
/// encoder's top layer: self-attention (scaled dot products, softmax, no padding: one sequence at a time), output
/// projection, residual and layer norm, then a GELU (erf form) feed-forward block, residual and layer norm.
/// </summary>
/// <remarks>
/// Matrices are stored as the ONNX file stores them, input-major (<c>[in, out]</c>): <c>y = x · W + b</c>. Layer norm uses
/// the population variance and ε = 1e-12, as the graph does. Everything is single precision with sums in a fixed order,
/// so the same input gives the same output and gradient on any machine.
/// </remarks>
internal sealed class TransformerLayer
{
    /// <summary>Layer norm's ε in all-MiniLM-L6-v2.</summary>
    public const float Epsilon = 1e-12f;

    private static readonly double[] ErfcCoefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    /// <summary>The parameter names, in the order of <see cref="Parameters"/>, as "….weight"/"….bias" names under a layer's prefix.</summary>
    public static readonly string[] Names =
    [
        "attention.self.query.weight", "attention.self.query.bias",
        "attention.self.key.weight", "attention.self.key.bias",
        "attention.self.value.weight", "attention.self.value.bias",
        "attention.output.dense.weight", "attention.output.dense.bias",
        "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
        "intermediate.dense.weight", "intermediate.dense.bias",
        "output.dense.weight", "output.dense.bias",
        "output.LayerNorm.weight", "output.LayerNorm.bias",
    ];

    /// <summary>Creates a layer of zeros.</summary>
    /// <param name="width">The hidden width (384 in MiniLM).</param>
    /// <param name="heads">The attention heads (12); the width must divide by it.</param>
    /// <param name="inner">The feed-forward width (1536).</param>
    public TransformerLayer(int width, int heads, int inner)
    {
        if (width <= 0 || heads <= 0 || width % heads != 0 || inner <= 0)
        {
            throw new ArgumentException("The width must be a positive multiple of the number of heads.", nameof(width));
        }

        Width = width;
        Heads = heads;
        Inner = inner;
        int[] sizes = [width * width, width, width * width, width, width * width, width, width * width, width, width, width, width * inner, inner, inner * width, width, width, width];
        Parameters = [.. sizes.Select(n => new float[n])];
    }

    /// <summary>Gets the hidden width.</summary>
    public int Width { get; }

    /// <summary>Gets the number of attention heads.</summary>
    public int Heads { get; }

    /// <summary>Gets the feed-forward width.</summary>
    public int Inner { get; }

    /// <summary>Gets the parameter arrays, in the order of <see cref="Names"/>.</summary>
    public float[][] Parameters { get; }

    private float[] Wq => Parameters[0];

    private float[] Bq => Parameters[1];

    private float[] Wk => Parameters[2];

    private float[] Bk => Parameters[3];

    private float[] Wv => Parameters[4];

    private float[] Bv => Parameters[5];

    private float[] Wo => Parameters[6];

    private float[] Bo => Parameters[7];

    private float[] G1 => Parameters[8];

    private float[] B1 => Parameters[9];

    private float[] W1 => Parameters[10];

    private float[] C1 => Parameters[11];

    private float[] W2 => Parameters[12];

    private float[] C2 => Parameters[13];

    private float[] G2 => Parameters[14];

    private float[] B2 => Parameters[15];

    /// <summary>Reads a layer's weights from the model.</summary>
    /// <param name="graph">The parsed model.</param>
    /// <param name="prefix">The layer's name prefix, such as "encoder.layer.5.".</param>
    /// <param name="width">The hidden width.</param>
    /// <param name="heads">The attention heads.</param>
    /// <param name="inner">The feed-forward width.</param>
    /// <returns>The layer.</returns>
    public static TransformerLayer FromGraph(OnnxGraph graph, string prefix, int width, int heads, int inner)
    {
        var layer = new TransformerLayer(width, heads, inner);
        Dictionary<string, string> named = graph.NamedWeights();
        for (int p = 0; p < Names.Length; p++)
        {
            string name = prefix + Names[p];
            float[] values = graph.ReadFloats(graph.Initializers.ContainsKey(name) ? name : named[name]);
            if (values.Length != layer.Parameters[p].Length)
            {
                throw new InvalidDataException($"The weight '{name}' has {values.Length} values, not {layer.Parameters[p].Length}.");
            }

            values.CopyTo(layer.Parameters[p], 0);
        }

        return layer;
    }

    /// <summary>Returns a layer of the same shape, all zeros (a gradient or an optimiser's moment).</summary>
    /// <returns>The layer.</returns>
    public TransformerLayer ZerosLike() => new(Width, Heads, Inner);

    /// <summary>Returns a copy.</summary>
    /// <returns>The copy.</returns>
    public TransformerLayer Clone()
    {
        TransformerLayer copy = ZerosLike();
        for (int p = 0; p < Parameters.Length; p++)
        {
            Parameters[p].CopyTo(copy.Parameters[p], 0);
        }

        return copy;
    }

    /// <summary>Runs the layer over one sequence, keeping what the backward pass needs.</summary>
    /// <param name="input">The sequence's states, <c>tokens × width</c>, row-major.</param>
    /// <param name="tokens">The number of tokens.</param>
    /// <returns>The pass: its <see cref="Pass.Output"/> is the layer's output.</returns>
    public Pass Forward(float[] input, int tokens)
    {
        int d = Width, f = Inner;
        if (input.Length != tokens * d)
        {
            throw new ArgumentException($"The input has {input.Length} values, not {tokens} × {d}.", nameof(input));
        }

        var pass = new Pass(this, input, tokens);
        Linear(input, tokens, d, Wq, Bq, d, pass.Q);
        Linear(input, tokens, d, Wk, Bk, d, pass.K);
        Linear(input, tokens, d, Wv, Bv, d, pass.V);

        // Attention, head by head: P = softmax(Q_h K_hᵀ / √dh), C_h = P V_h.
        int dh = d / Heads;
        float scale = 1f / MathF.Sqrt(dh);
        for (int h = 0; h < Heads; h++)
        {
            Span<float> probabilities = pass.P.AsSpan(h * tokens * tokens, tokens * tokens);
            for (int a = 0; a < tokens; a++)
            {
                ReadOnlySpan<float> q = pass.Q.AsSpan((a * d) + (h * dh), dh);
                Span<float> row = probabilities.Slice(a * tokens, tokens);
                float max = float.NegativeInfinity;
                for (int b = 0; b < tokens; b++)
                {
                    row[b] = Dot(q, pass.K.AsSpan((b * d) + (h * dh), dh)) * scale;
                    max = MathF.Max(max, row[b]);
                }

                float sum = 0;
                for (int b = 0; b < tokens; b++)
                {
                    row[b] = MathF.Exp(row[b] - max);
                    sum += row[b];
                }

                for (int b = 0; b < tokens; b++)
                {
                    row[b] /= sum;
                }

                Span<float> context = pass.C.AsSpan((a * d) + (h * dh), dh);
                context.Clear();
                for (int b = 0; b < tokens; b++)
                {
                    Axpy(row[b], pass.V.AsSpan((b * d) + (h * dh), dh), context);
                }
            }
        }

        // Output projection, residual, layer norm.
        Linear(pass.C, tokens, d, Wo, Bo, d, pass.N1);
        Add(input, pass.N1);
        LayerNorm(pass.N1, tokens, d, G1, B1, pass.Xhat1, pass.InvStd1);

        // Feed-forward: GELU(N1 W1 + c1) W2 + c2, residual, layer norm.
        Linear(pass.N1, tokens, d, W1, C1, f, pass.U);
        for (int i = 0; i < pass.U.Length; i++)
        {
            pass.G[i] = Gelu(pass.U[i]);
        }

        Linear(pass.G, tokens, f, W2, C2, d, pass.Output);
        Add(pass.N1, pass.Output);
        LayerNorm(pass.Output, tokens, d, G2, B2, pass.Xhat2, pass.InvStd2);
        return pass;
    }

    /// <summary>Adds the gradient of a loss with respect to the layer's parameters, given its gradient with respect to the output.</summary>
    /// <param name="pass">The forward pass.</param>
    /// <param name="outputGradient">dLoss/dOutput, <c>tokens × width</c>.</param>
    /// <param name="gradient">Where the parameters' gradients are added (a layer of the same shape).</param>
    /// <param name="inputGradient">When given, dLoss/dInput (<c>tokens × width</c>) is added to it, for the layer below.</param>
    public void Backward(Pass pass, float[] outputGradient, TransformerLayer gradient, float[]? inputGradient = null)
    {
        int d = Width, f = Inner, n = pass.Tokens;
        TransformerLayer g = gradient;

        // Second layer norm, then the residual: dR2 goes to both the feed-forward output and N1.
        float[] dR2 = new float[n * d];
        LayerNormBackward(outputGradient, pass.Xhat2, pass.InvStd2, n, d, G2, g.G2, g.B2, dR2);
        float[] dN1 = (float[])dR2.Clone();

        // Feed-forward block.
        float[] dG = new float[n * f];
        LinearBackward(pass.G, dR2, n, f, d, W2, g.W2, g.C2, dG);
        for (int i = 0; i < dG.Length; i++)
        {
            dG[i] *= GeluDerivative(pass.U[i]);
        }

        LinearBackward(pass.N1, dG, n, d, f, W1, g.W1, g.C1, dN1);

        // First layer norm, then the residual: dR1 reaches the input directly as well as through the attention.
        float[] dR1 = new float[n * d];
        LayerNormBackward(dN1, pass.Xhat1, pass.InvStd1, n, d, G1, g.G1, g.B1, dR1);
        if (inputGradient is not null)
        {
            if (inputGradient.Length != n * d)
            {
                throw new ArgumentException($"The input gradient has {inputGradient.Length} values, not {n} × {d}.", nameof(inputGradient));
            }

            Add(dR1, inputGradient);
        }

        float[] dC = new float[n * d];
        LinearBackward(pass.C, dR1, n, d, d, Wo, g.Wo, g.Bo, dC);

        // Attention.
        int dh = d / Heads;
        float scale = 1f / MathF.Sqrt(dh);
        float[] dQ = new float[n * d], dK = new float[n * d], dV = new float[n * d];
        float[] dP = new float[n];
        for (int h = 0; h < Heads; h++)
        {
            ReadOnlySpan<float> probabilities = pass.P.AsSpan(h * n * n, n * n);
            for (int a = 0; a < n; a++)
            {
                ReadOnlySpan<float> row = probabilities.Slice(a * n, n);
                ReadOnlySpan<float> dContext = dC.AsSpan((a * d) + (h * dh), dh);
                float weighted = 0;
                for (int b = 0; b < n; b++)
                {
                    dP[b] = Dot(dContext, pass.V.AsSpan((b * d) + (h * dh), dh));
                    weighted += dP[b] * row[b];
                    Axpy(row[b], dContext, dV.AsSpan((b * d) + (h * dh), dh));
                }

                Span<float> dQa = dQ.AsSpan((a * d) + (h * dh), dh);
                ReadOnlySpan<float> qa = pass.Q.AsSpan((a * d) + (h * dh), dh);
                for (int b = 0; b < n; b++)
                {
                    float dS = row[b] * (dP[b] - weighted) * scale;
                    Axpy(dS, pass.K.AsSpan((b * d) + (h * dh), dh), dQa);
                    Axpy(dS, qa, dK.AsSpan((b * d) + (h * dh), dh));
                }
            }
        }

        LinearBackward(pass.Input, dQ, n, d, d, Wq, g.Wq, g.Bq, inputGradient);
        LinearBackward(pass.Input, dK, n, d, d, Wk, g.Wk, g.Bk, inputGradient);
        LinearBackward(pass.Input, dV, n, d, d, Wv, g.Wv, g.Bv, inputGradient);
    }

    /// <summary>The error function (W. J. Cody's rational approximations via <see cref="Erfc"/>; error below 1.2e-7).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>erf(x).</returns>
    public static double Erf(double x) => 1 - Erfc(x);

    /// <summary>GELU in its exact form, x · Φ(x).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>The activation.</returns>
    public static float Gelu(float x) => (float)(0.5 * x * (1 + Erf(x / Math.Sqrt(2))));

    private static float GeluDerivative(float x)
    {
        double cdf = 0.5 * (1 + Erf(x / Math.Sqrt(2)));
        double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
        return (float)(cdf + (x * pdf));
    }

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double[] c = ErfcCoefficients;
        double poly = c[^1];
        for (int k = c.Length - 2; k >= 0; k--)
        {
            poly = c[k] + (t * poly);
        }

        double r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>y = x · W + b for every row of x (x: rows × inputs; W: inputs × outputs).</summary>
    internal static void Linear(float[] x, int rows, int inputs, float[] w, float[] bias, int outputs, float[] y)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> yr = y.AsSpan(r * outputs, outputs);
            bias.AsSpan().CopyTo(yr);
            ReadOnlySpan<float> xr = x.AsSpan(r * inputs, inputs);
            int i = 0;
            for (; i + 4 <= inputs; i += 4)
            {
                Axpy4(xr[i], xr[i + 1], xr[i + 2], xr[i + 3], w.AsSpan(i * outputs, 4 * outputs), outputs, yr);
            }

            for (; i < inputs; i++)
            {
                Axpy(xr[i], w.AsSpan(i * outputs, outputs), yr);
            }
        }
    }

    /// <summary>Backward of <see cref="Linear"/>: dW += xᵀ dy, db += Σ dy, and (when asked) dx += dy Wᵀ.</summary>
    internal static void LinearBackward(float[] x, float[] dy, int rows, int inputs, int outputs, float[] w, float[] dw, float[] db, float[]? dx)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> dyr = dy.AsSpan(r * outputs, outputs);
            Add(dyr, db);
            ReadOnlySpan<float> xr = x.AsSpan(r * inputs, inputs);
            for (int i = 0; i < inputs; i++)
            {
                Axpy(xr[i], dyr, dw.AsSpan(i * outputs, outputs));
            }

            if (dx is not null)
            {
                Span<float> dxr = dx.AsSpan(r * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                {
                    dxr[i] += Dot(dyr, w.AsSpan(i * outputs, outputs));
                }
            }
        }
    }

    /// <summary>In place: each row becomes γ ⊙ (x − μ) / √(σ² + ε) + β; keeps x̂ and 1/√(σ² + ε).</summary>
    private static void LayerNorm(float[] x, int rows, int width, float[] gamma, float[] beta, float[] xhat, float[] invStd)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.AsSpan(r * width, width);
            float mean = 0;
            foreach (float v in row)
            {
                mean += v;
            }

            mean /= width;
            float variance = 0;
            foreach (float v in row)
            {
                variance += (v - mean) * (v - mean);
            }

            variance /= width;
            float inv = 1f / MathF.Sqrt(variance + Epsilon);
            invStd[r] = inv;
            for (int k = 0; k < width; k++)
            {
                float normalised = (row[k] - mean) * inv;
                xhat[(r * width) + k] = normalised;
                row[k] = (gamma[k] * normalised) + beta[k];
            }
        }
    }

    private static void LayerNormBackward(float[] dy, float[] xhat, float[] invStd, int rows, int width, float[] gamma, float[] dGamma, float[] dBeta, float[] dx)
    {
        float[] dxhat = new float[width];
        for (int r = 0; r < rows; r++)
        {
            float meanD = 0, meanDx = 0;
            for (int k = 0; k < width; k++)
            {
                int i = (r * width) + k;
                dGamma[k] += dy[i] * xhat[i];
                dBeta[k] += dy[i];
                dxhat[k] = dy[i] * gamma[k];
                meanD += dxhat[k];
                meanDx += dxhat[k] * xhat[i];
            }

            meanD /= width;
            meanDx /= width;
            for (int k = 0; k < width; k++)
            {
                int i = (r * width) + k;
                dx[i] += invStd[r] * (dxhat[k] - meanD - (xhat[i] * meanDx));
            }
        }
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int width = Vector<float>.Count;
        ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
        ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        for (int v = 0; v < va.Length; v++)
        {
            sum += va[v] * vb[v];
        }

        float total = Vector.Sum(sum);
        for (int i = va.Length * width; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    internal static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        var a = new Vector<float>(alpha);
        Span<Vector<float>> vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        ReadOnlySpan<Vector<float>> vx = MemoryMarshal.Cast<float, Vector<float>>(x[..y.Length]);
        for (int v = 0; v < vy.Length; v++)
        {
            vy[v] += a * vx[v];
        }

        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    private static void Axpy4(float a0, float a1, float a2, float a3, ReadOnlySpan<float> w, int outputs, Span<float> y)
    {
        var v0 = new Vector<float>(a0);
        var v1 = new Vector<float>(a1);
        var v2 = new Vector<float>(a2);
        var v3 = new Vector<float>(a3);
        Span<Vector<float>> vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        ReadOnlySpan<Vector<float>> w0 = MemoryMarshal.Cast<float, Vector<float>>(w[..outputs]);
        ReadOnlySpan<Vector<float>> w1 = MemoryMarshal.Cast<float, Vector<float>>(w.Slice(outputs, outputs));
        ReadOnlySpan<Vector<float>> w2 = MemoryMarshal.Cast<float, Vector<float>>(w.Slice(2 * outputs, outputs));
        ReadOnlySpan<Vector<float>> w3 = MemoryMarshal.Cast<float, Vector<float>>(w.Slice(3 * outputs, outputs));
        for (int v = 0; v < vy.Length; v++)
        {
            vy[v] += (v0 * w0[v]) + (v1 * w1[v]) + (v2 * w2[v]) + (v3 * w3[v]);
        }

        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            y[i] += (a0 * w[i]) + (a1 * w[outputs + i]) + (a2 * w[(2 * outputs) + i]) + (a3 * w[(3 * outputs) + i]);
        }
    }

    private static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += x[i];
        }
    }

    /// <summary>What one forward pass keeps for the backward pass.</summary>
    internal sealed class Pass
    {
        public Pass(TransformerLayer layer, float[] input, int tokens)
        {
            int d = layer.Width, f = layer.Inner;
            Input = input;
            Tokens = tokens;
            Q = new float[tokens * d];
            K = new float[tokens * d];
            V = new float[tokens * d];
            P = new float[layer.Heads * tokens * tokens];
            C = new float[tokens * d];
            N1 = new float[tokens * d];
            Xhat1 = new float[tokens * d];
            InvStd1 = new float[tokens];
            U = new float[tokens * f];
            G = new float[tokens * f];
            Output = new float[tokens * d];
            Xhat2 = new float[tokens * d];
            InvStd2 = new float[tokens];
        }

        public float[] Input { get; }

        public int Tokens { get; }

        public float[] Q { get; }

        public float[] K { get; }

        public float[] V { get; }

        public float[] P { get; }

        public float[] C { get; }

        public float[] N1 { get; }

        public float[] Xhat1 { get; }

        public float[] InvStd1 { get; }

        public float[] U { get; }

        public float[] G { get; }

        /// <summary>Gets the layer's output, <c>tokens × width</c>.</summary>
        public float[] Output { get; }

        public float[] Xhat2 { get; }

        public float[] InvStd2 { get; }
    }
}
