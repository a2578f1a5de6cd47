using EmpathyKit.Cli.Learn;
using EmpathyKit.Semantic;

namespace EmpathyKit.Tests.Semantic;

/// <summary>The semantic trainer's parts that run without the corpus: the hidden-layer fitter and the embedding cache.</summary>
public sealed class SemanticTrainingPartsTests
{
    [Fact]
    public void The_hidden_layer_learns_a_combination_no_single_dot_product_can_and_is_deterministic()
    {
        // "Exclusive or" of features 0 and 1: positive when exactly one is on. A logistic head cannot fit it.
        (float[][] x, double?[] y) = Xor(400);
        SemanticMlpFitter.Result first = Fit(x, y);
        SemanticMlpFitter.Result again = Fit(x, y);
        Assert.Equal(first.HiddenWeights, again.HiddenWeights);
        Assert.Equal(first.HighWeights, again.HighWeights);

        var model = new SemanticCrisisModel(SemanticContext.Mean, first.HiddenWeights, first.HiddenBias, first.ModerateWeights, first.HighWeights, first.ModerateBias, first.HighBias, 0.5, 0.5, []);
        int right = 0;
        for (int i = 0; i < x.Length; i++)
        {
            right += (model.Predict(x[i]).High >= 0.5) == (y[i] == 1) ? 1 : 0;
        }

        Assert.True(right >= 0.95 * x.Length, $"{right} of {x.Length}");
    }

    [Fact]
    public void An_ensemble_is_one_wider_network_whose_heads_give_the_mean_of_its_members_log_odds()
    {
        (float[][] x, double?[] y) = Xor(200);
        SemanticMlpFitter.Result first = Fit(x, y, seed: 7);
        SemanticMlpFitter.Result second = Fit(x, y, seed: 8);
        Assert.NotEqual(first.HighWeights, second.HighWeights);
        SemanticMlpFitter.Result joined = SemanticMlpFitter.Average([first, second]);
        Assert.Equal(first.HiddenBias.Length + second.HiddenBias.Length, joined.HiddenBias.Length);
        Assert.Same(first, SemanticMlpFitter.Average([first]));

        SemanticCrisisModel a = Model(first), b = Model(second), both = Model(joined);
        for (int i = 0; i < x.Length; i += 7)
        {
            (double am, double ah) = a.Predict(x[i]);
            (double bm, double bh) = b.Predict(x[i]);
            (double jm, double jh) = both.Predict(x[i]);
            Assert.Equal((Logit(ah) + Logit(bh)) / 2, Logit(jh), 2);
            Assert.Equal((Logit(am) + Logit(bm)) / 2, Logit(jm), 2);
        }

        static SemanticCrisisModel Model(SemanticMlpFitter.Result r) =>
            new(SemanticContext.Mean, r.HiddenWeights, r.HiddenBias, r.ModerateWeights, r.HighWeights, r.ModerateBias, r.HighBias, 0.5, 0.5, []);
        static double Logit(double p) => SemanticBlend.Logit(p);
    }

    [Fact]
    public void A_row_without_a_label_for_a_head_adds_nothing_to_it()
    {
        (float[][] x, double?[] y) = Xor(200);
        double?[] none = new double?[x.Length];
        SemanticMlpFitter.Result result = Fit(x, y, moderate: none);
        Assert.Equal(0f, result.ModerateBias);
    }

    [Fact]
    public void The_embedding_cache_round_trips_and_treats_a_damaged_file_as_empty()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ek-cache-{Guid.NewGuid():N}.bin");
        try
        {
            float[] vector = [.. Enumerable.Range(0, MiniLmEncoder.Dimensions).Select(i => i * 0.5f)];
            EmbeddingCache.Write(path, ["hello"], [vector]);
            Dictionary<string, float[]> read = EmbeddingCache.Read(path);
            Assert.Equal(vector, read[EmbeddingCache.Key("hello")]);
            Assert.DoesNotContain(read.Keys, k => k.Contains("hello", StringComparison.OrdinalIgnoreCase));

            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            Assert.Empty(EmbeddingCache.Read(path));
            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Empty(EmbeddingCache.Read(path));
            Assert.Empty(EmbeddingCache.Read(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static SemanticMlpFitter.Result Fit(float[][] x, double?[] y, double?[]? moderate = null, int seed = 7)
    {
        int d = SemanticCrisisModel.Dimensions;
        float[] mean = new float[d];
        float[] std = [.. Enumerable.Repeat(1f, d)];
        SemanticMlpFitter.Result? result = null;
        SemanticMlpFitter.Fit(x, moderate ?? y, y, [.. Enumerable.Repeat(1.0, x.Length)], mean, std, hidden: 8, l2: 1e-5, learningRate: 0.02, seed: seed, [60], (_, r) => result = r, CancellationToken.None);
        return result!;
    }

    private static (float[][] X, double?[] Y) Xor(int n)
    {
        var random = new Random(3);
        var x = new float[n][];
        var y = new double?[n];
        for (int i = 0; i < n; i++)
        {
            bool a = (i & 1) == 1, b = (i & 2) == 2;
            x[i] = new float[SemanticCrisisModel.Dimensions];
            x[i][0] = (a ? 1f : -1f) + (float)((random.NextDouble() - 0.5) * 0.2);
            x[i][1] = (b ? 1f : -1f) + (float)((random.NextDouble() - 0.5) * 0.2);
            y[i] = a ^ b ? 1 : 0;
        }

        return (x, y);
    }
}
