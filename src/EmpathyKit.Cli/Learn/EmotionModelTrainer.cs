using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Sentiment;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// Learns the analyzer's emotion layer (<see cref="EmotionModel"/>) from a labelled GoEmotions split: one logistic
/// regression per Ekman class over word features and the hand-written analyzer's output, trained with AdaGrad and an L2
/// penalty; each class's decision threshold is chosen by cross-validation on the same split (out-of-fold predictions,
/// coordinate ascent on the Ekman+neutral macro-F1), so the development split is never looked at. Deterministic: the
/// same input and settings give the same model.
/// </summary>
internal static class EmotionModelTrainer
{
    private const int ThresholdSteps = 34;
    private const double ThresholdFirst = 0.05;
    private const double ThresholdStep = 0.025;

    /// <summary>Trains a model and describes it.</summary>
    /// <param name="trainTsv">The training split (emotions.txt and ekman_mapping.json beside it).</param>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels training.</param>
    /// <returns>The model and a report of the cross-validated figures.</returns>
    public static (EmotionModel Model, TrainingReport Report) Train(string trainTsv, EmotionTrainingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        List<(string Text, HashSet<string> Gold)> raw = GoEmotionsData.Load(trainTsv);
        int classes = EmotionModel.Classes.Count;
        string[] classNames = [.. EmotionModel.Classes.Select(EkmanName)];

        // Features through the analyzer itself, so training and inference see exactly the same thing.
        var names = new List<string>[raw.Count];
        var dense = new double[raw.Count][];
        var labels = new bool[raw.Count][];
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < raw.Count; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (names[j], dense[j]) = LexiconSentimentAnalyzer.ModelFeatures(raw[j].Text);
            labels[j] = [.. classNames.Select(raw[j].Gold.Contains)];
            foreach (string name in names[j])
            {
                documentFrequency[name] = documentFrequency.GetValueOrDefault(name) + 1;
            }
        }

        string[] vocabulary = [.. documentFrequency.Where(f => f.Value >= settings.MinCount).Select(f => f.Key).Order(StringComparer.Ordinal)];
        var index = vocabulary.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        var data = new Example[raw.Count];
        for (int j = 0; j < raw.Count; j++)
        {
            data[j] = new Example([.. names[j].Where(index.ContainsKey).Select(n => index[n])], dense[j], labels[j]);
        }

        // Out-of-fold probabilities for choosing thresholds.
        var outOfFold = new double[data.Length][];
        for (int fold = 0; fold < settings.Folds; fold++)
        {
            int held = fold;
            Weights w = Fit(data, vocabulary.Length, j => j % settings.Folds != held, settings, cancellationToken);
            Prune(w, settings.Prune);
            for (int j = held; j < data.Length; j += settings.Folds)
            {
                outOfFold[j] = w.Probabilities(data[j]);
            }
        }

        double[] thresholds = ChooseThresholds(outOfFold, data, out double crossValidatedMacro, out double[] crossValidatedF1);
        Weights final = Fit(data, vocabulary.Length, _ => true, settings, cancellationToken);
        Prune(final, settings.Prune);

        var words = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Length; i++)
        {
            double[] row = [.. Enumerable.Range(0, classes).Select(k => Math.Round(final.Word[k][i], 3))];
            if (row.Any(v => v != 0))
            {
                words[vocabulary[i]] = row;
            }
        }

        double[][] denseWeights = [.. Enumerable.Range(0, EmotionModel.DenseFeatureNames.Count).Select(d => Enumerable.Range(0, classes).Select(k => Math.Round(final.Dense[k][d], 3)).ToArray())];
        double[] bias = [.. final.Bias.Select(b => Math.Round(b, 3))];
        var model = new EmotionModel(words, denseWeights, bias, thresholds);
        var report = new TrainingReport(raw.Count, vocabulary.Length, words.Count, thresholds, crossValidatedF1, crossValidatedMacro, Sha256Prefix(trainTsv));
        return (model, report);
    }

    /// <summary>The provenance lines written at the top of the model file.</summary>
    /// <param name="report">The training report.</param>
    /// <param name="settings">The settings.</param>
    /// <returns>The lines.</returns>
    public static IEnumerable<string> Header(TrainingReport report, EmotionTrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        CultureInfo c = CultureInfo.InvariantCulture;
        yield return "EmpathyKit emotion model: learned weights, not text. Generated by `empathykit learn emotions`; do not edit by hand.";
        yield return "Source: GoEmotions train split (Demszky et al., ACL 2020), github.com/google-research/google-research/goemotions,";
        yield return "licensed under the Apache License 2.0. These weights are a work derived from it; see THIRD-PARTY-NOTICES.md.";
        yield return string.Create(c, $"Input: train.tsv, {report.Messages} messages, sha256 {report.InputSha256Prefix}…");
        yield return string.Create(c, $"Settings: min-count {settings.MinCount}, l2 {settings.L2}, epochs {settings.Epochs}, learning-rate {settings.LearningRate}, prune {settings.Prune}, folds {settings.Folds}, seed {settings.Seed}.");
        yield return string.Create(c, $"Vocabulary {report.Vocabulary} features, {report.WordsKept} kept. Cross-validated Ekman+neutral macro-F1 on train: {report.CrossValidatedMacroF1:0.000}.");
        yield return "Format: 'threshold', 'bias', 'dense <feature>' and 'word <feature>' lines, one number per class in the 'classes' order.";
    }

    private static Weights Fit(Example[] data, int vocabulary, Func<int, bool> use, EmotionTrainingSettings settings, CancellationToken cancellationToken)
    {
        int[] rows = [.. Enumerable.Range(0, data.Length).Where(use)];
        int classes = EmotionModel.Classes.Count;
        int denseCount = EmotionModel.DenseFeatureNames.Count;
        var weights = new Weights(classes, vocabulary, denseCount);

        // Each class is an independent problem with its own deterministic shuffle, so they can run side by side.
        Parallel.For(0, classes, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            double[] word = weights.Word[k], dense = weights.Dense[k];
            var wordSquares = new double[vocabulary];
            var denseSquares = new double[denseCount];
            double biasSquares = 0;
            int[] order = (int[])rows.Clone();
            var random = new Random(settings.Seed + k);
            for (int epoch = 0; epoch < settings.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                random.Shuffle(order);
                foreach (int j in order)
                {
                    Example x = data[j];
                    double g = EmotionModel.Sigmoid(weights.Logit(k, x)) - (x.Labels[k] ? 1 : 0);
                    foreach (int i in x.Words)
                    {
                        double gi = g + (settings.L2 * word[i]);
                        wordSquares[i] += gi * gi;
                        word[i] -= settings.LearningRate * gi / Math.Sqrt(wordSquares[i] + 1e-8);
                    }

                    for (int d = 0; d < denseCount; d++)
                    {
                        double gd = (g * x.Dense[d]) + (settings.L2 * dense[d]);
                        denseSquares[d] += gd * gd;
                        dense[d] -= settings.LearningRate * gd / Math.Sqrt(denseSquares[d] + 1e-8);
                    }

                    biasSquares += g * g;
                    weights.Bias[k] -= settings.LearningRate * g / Math.Sqrt(biasSquares + 1e-8);
                }
            }
        });

        return weights;
    }

    /// <summary>Zeroes the word features whose largest weight over the classes is below <paramref name="prune"/>.</summary>
    private static void Prune(Weights weights, double prune)
    {
        int vocabulary = weights.Word[0].Length;
        for (int i = 0; i < vocabulary; i++)
        {
            if (weights.Word.Max(w => Math.Abs(w[i])) < prune)
            {
                foreach (double[] w in weights.Word)
                {
                    w[i] = 0;
                }
            }
        }
    }

    /// <summary>Coordinate ascent on the macro-F1 over Ekman's six and neutral (neutral: no class predicted).</summary>
    private static double[] ChooseThresholds(double[][] probabilities, Example[] data, out double macro, out double[] perClass)
    {
        int classes = EmotionModel.Classes.Count;
        double[] thresholds = [.. Enumerable.Repeat(EmotionModel.PresentIntensity, classes)];
        for (int round = 0; round < 3; round++)
        {
            for (int k = 0; k < classes; k++)
            {
                double best = -1, bestThreshold = thresholds[k];
                for (int step = 0; step < ThresholdSteps; step++)
                {
                    thresholds[k] = ThresholdFirst + (ThresholdStep * step);
                    double score = MacroF1(probabilities, data, thresholds, null);
                    if (score > best)
                    {
                        best = score;
                        bestThreshold = thresholds[k];
                    }
                }

                thresholds[k] = Math.Round(bestThreshold, 3);
            }
        }

        perClass = new double[classes + 1];
        macro = MacroF1(probabilities, data, thresholds, perClass);
        return thresholds;
    }

    private static double MacroF1(double[][] probabilities, Example[] data, double[] thresholds, double[]? perClass)
    {
        int classes = thresholds.Length;
        Span<int> tp = stackalloc int[classes + 1], fp = stackalloc int[classes + 1], fn = stackalloc int[classes + 1];
        for (int j = 0; j < data.Length; j++)
        {
            bool anyPredicted = false, anyGold = false;
            for (int k = 0; k < classes; k++)
            {
                bool p = probabilities[j][k] >= thresholds[k], g = data[j].Labels[k];
                anyPredicted |= p;
                anyGold |= g;
                Count(p, g, k, tp, fp, fn);
            }

            Count(!anyPredicted, !anyGold, classes, tp, fp, fn);
        }

        double sum = 0;
        for (int k = 0; k <= classes; k++)
        {
            double f1 = GoEmotionsData.F1(tp[k], fp[k], fn[k]);
            sum += f1;
            if (perClass is not null)
            {
                perClass[k] = f1;
            }
        }

        return sum / (classes + 1);
    }

    private static void Count(bool predicted, bool gold, int k, Span<int> tp, Span<int> fp, Span<int> fn)
    {
        tp[k] += predicted && gold ? 1 : 0;
        fp[k] += predicted && !gold ? 1 : 0;
        fn[k] += !predicted && gold ? 1 : 0;
    }

    private static string EkmanName(Emotion emotion) => emotion == Emotion.Anxiety ? "fear" : emotion.ToWireName();

    private static string Sha256Prefix(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    private sealed record Example(int[] Words, double[] Dense, bool[] Labels);

    private sealed class Weights(int classes, int vocabulary, int denseCount)
    {
        public double[][] Word { get; } = [.. Enumerable.Range(0, classes).Select(_ => new double[vocabulary])];

        public double[][] Dense { get; } = [.. Enumerable.Range(0, classes).Select(_ => new double[denseCount])];

        public double[] Bias { get; } = new double[classes];

        public double Logit(int k, Example x)
        {
            double z = Bias[k];
            double[] word = Word[k], dense = Dense[k];
            foreach (int i in x.Words)
            {
                z += word[i];
            }

            for (int d = 0; d < dense.Length; d++)
            {
                z += dense[d] * x.Dense[d];
            }

            return z;
        }

        public double[] Probabilities(Example x) => [.. Enumerable.Range(0, Bias.Length).Select(k => EmotionModel.Sigmoid(Logit(k, x)))];
    }
}

/// <summary>Settings of <see cref="EmotionModelTrainer"/>; the defaults produced the embedded model.</summary>
/// <param name="MinCount">A word feature must occur in at least this many training messages.</param>
/// <param name="L2">The L2 penalty.</param>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="LearningRate">AdaGrad's step size.</param>
/// <param name="Prune">Word features whose largest weight is below this are dropped.</param>
/// <param name="Folds">Cross-validation folds for choosing the thresholds.</param>
/// <param name="Seed">The shuffle seed.</param>
internal sealed record EmotionTrainingSettings(int MinCount = 10, double L2 = 0.03, int Epochs = 8, double LearningRate = 0.5, double Prune = 0.8, int Folds = 5, int Seed = 7)
{
    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (MinCount < 1 || L2 < 0 || Epochs < 1 || LearningRate <= 0 || Prune < 0 || Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(EmotionTrainingSettings), "min-count ≥ 1, l2 ≥ 0, epochs ≥ 1, learning rate > 0, prune ≥ 0 and folds ≥ 2.");
        }
    }
}

/// <summary>What training produced, for the console and the model file's header.</summary>
/// <param name="Messages">Training messages.</param>
/// <param name="Vocabulary">Word features that met the minimum count.</param>
/// <param name="WordsKept">Word features kept after pruning.</param>
/// <param name="Thresholds">Each class's threshold.</param>
/// <param name="CrossValidatedF1">Out-of-fold F1 per class (Ekman order, then neutral).</param>
/// <param name="CrossValidatedMacroF1">Out-of-fold macro-F1 over the six and neutral.</param>
/// <param name="InputSha256Prefix">The first 16 hex digits of the input's SHA-256.</param>
internal sealed record TrainingReport(int Messages, int Vocabulary, int WordsKept, double[] Thresholds, double[] CrossValidatedF1, double CrossValidatedMacroF1, string InputSha256Prefix)
{
    /// <summary>A short human-readable summary.</summary>
    /// <returns>The text.</returns>
    public string Format()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Trained on {Messages} messages; {Vocabulary} word features, {WordsKept} kept.");
        text.AppendLine("class      threshold  cross-validated F1");
        for (int k = 0; k < EmotionModel.Classes.Count; k++)
        {
            text.AppendLine(c, $"{EmotionModel.Classes[k].ToWireName(),-10} {Thresholds[k],9:0.000}  {CrossValidatedF1[k],8:0.000}");
        }

        text.AppendLine(c, $"{"neutral",-10} {"",9}  {CrossValidatedF1[^1],8:0.000}");
        text.AppendLine(c, $"cross-validated macro-F1 on the training split: {CrossValidatedMacroF1:0.000}");
        return text.ToString();
    }
}
