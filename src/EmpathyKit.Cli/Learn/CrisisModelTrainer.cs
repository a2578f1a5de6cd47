using System.Globalization;
using System.Text;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// Trains <see cref="CrisisRiskModel"/>: two logistic heads (moderate or above; high or above) by AdaGrad with L2, in a
/// fixed order from a fixed seed, so the same data gives the same file. Learns from the corpus's train split plus
/// licence-clean everyday and ordinary-distress text as negatives (GoEmotions train, SenticNet stress titles,
/// counsel-chat questions on topics that are not crises, HarmBench requests). Thresholds are chosen on development data
/// only (the corpus's dev split, crisis-dev, XSTest's safe prompts): the lowest that keeps the false alarms the model adds at
/// high (among negatives the rules left below high) within <see cref="HighFalseAlarmBudget"/>, and what it adds at
/// moderate on non-crisis text within <see cref="ModerateBudget"/>. The test split and the held-out sets are never read.
/// </summary>
internal static class CrisisModelTrainer
{
    public const double HighFalseAlarmBudget = 0.015;
    public const double ModerateBudget = 0.04;

    /// <summary>
    /// The most recall (at high, and at moderate) the veto may cost on dev: none. Recall first: the veto is used only
    /// where it costs no escalation on dev (at 0.005 it cost 0.002 of dev recall for a third fewer false alarms, so the
    /// shipped model has none).
    /// </summary>
    public const double VetoRecallBudget = 0.0;

    private static readonly double[] VetoGrid = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1];
    private const int Epochs = 10;
    private const double LearningRate = 0.2;
    private const double L2 = 1e-6;
    private const double ExternalWeight = 0.1;
    private const int Seed = 20261201;


    public static async Task<string?> TrainAndWriteAsync(string trainDir, IReadOnlyList<string> everyday, string corpusDir, string outDir, string constructTable, CancellationToken cancellationToken)
    {
        string mechanismsPath = Path.Combine(outDir, "crisis-mechanisms.txt");
        if (!File.Exists(mechanismsPath))
        {
            await Console.Error.WriteLineAsync($"empathykit learn crisis: '{mechanismsPath}' does not exist (write the model beside the mechanism table).");
            return null;
        }

        ConstructLexicon lexicon;
        using (var mechanisms = new StreamReader(mechanismsPath))
        {
            lexicon = ConstructLexicon.Build(new StringReader(constructTable), mechanisms);
        }

        var rules = new ConstructCrisisDetector(lexicon, model: null);
        var examples = new List<Example>();
        List<CrisisCase> train = CrisisCorpus.Pool(corpusDir, "train");
        foreach (CrisisCase c in train)
        {
            examples.Add(Example.Of(rules, c.Turns, c.Min, c.Max, 1.0));
        }

        int external = 0;
        void AddNegative(string text, RiskLevel level)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                examples.Add(Example.Of(rules, [text], level, level, ExternalWeight));
                external++;
            }
        }

        CrisisNegatives.Load(trainDir, everyday, 4, AddNegative);

        cancellationToken.ThrowIfCancellationRequested();
        float[] moderate = new float[CrisisRiskModel.Dimensions];
        float[] high = new float[CrisisRiskModel.Dimensions];
        (float moderateBias, float highBias) = Fit(examples, moderate, high);

        // Thresholds from development data only.
        var dev = new List<(RiskLevel Rules, bool Lowerable, double Moderate, double High, RiskLevel Min, RiskLevel Max)>();
        var provisional = new CrisisRiskModel(moderate, high, moderateBias, highBias, 1.0, 1.0, []);
        void AddDev(IReadOnlyList<string> turns, RiskLevel min, RiskLevel max)
        {
            var input = new CrisisInput(turns[^1], [.. turns.Take(turns.Count - 1)]);
            (RiskLevel ruleLevel, bool lowerable, _, _) = rules.Score(input);
            int[] features = FeaturesOf(rules, input);
            (double m, double h) = provisional.Predict(features);
            dev.Add((ruleLevel, lowerable, m, h, min, max));
        }

        foreach (CrisisCase c in CrisisCorpus.Pool(corpusDir, "dev"))
        {
            AddDev(c.Turns, c.Min, c.Max);
        }

        string crisisDev = Path.Combine(trainDir, "..", "eval", "crisis-dev.jsonl");
        if (File.Exists(crisisDev))
        {
            foreach (CrisisCase c in CrisisCase.ReadJsonl(crisisDev))
            {
                AddDev(c.Turns, c.Min, c.Max);
            }
        }

        string xstest = Path.Combine(trainDir, "..", "eval", "external", "xstest", "xstest_prompts.csv");
        if (File.Exists(xstest))
        {
            foreach (Dictionary<string, string> row in Csv.Read(xstest).Where(r => r["label"] == "safe"))
            {
                AddDev([row["prompt"]], RiskLevel.None, RiskLevel.None);
            }
        }

        // The budgets bound what the model adds: false alarms among the negatives that the rules alone left below the level.
        double highThreshold = Choose(t => CrisisThresholds.Rate(dev, d => d.Max < RiskLevel.High && d.Rules < RiskLevel.High, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, 1.0, t) >= RiskLevel.High), HighFalseAlarmBudget);
        double moderateThreshold = Choose(t => CrisisThresholds.Rate(dev, d => d.Max < RiskLevel.Moderate && d.Rules < RiskLevel.Moderate, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, t, highThreshold) >= RiskLevel.Moderate), ModerateBudget);

        // The veto: the highest probability below which a rule's lowerable high finding is lowered to moderate, while the
        // dev messages that must escalate and the crisis messages lose at most VetoRecallBudget of their recall at high and
        // at moderate.
        double RecallAt(double veto, RiskLevel min) => CrisisThresholds.Rate(dev, d => d.Min >= min, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, moderateThreshold, highThreshold, veto, d.Lowerable) >= min);
        double recallHigh = RecallAt(0, RiskLevel.High), recallModerate = RecallAt(0, RiskLevel.Moderate);
        double veto = CrisisThresholds.LastWithin(VetoGrid, v => Math.Max(recallHigh - RecallAt(v, RiskLevel.High), recallModerate - RecallAt(v, RiskLevel.Moderate)), VetoRecallBudget, 0);

        CultureInfo c0 = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(c0, $"train: {train.Count} corpus messages + {external} everyday and ordinary-distress negatives; dev: {dev.Count} cases");
        report.AppendLine(c0, $"thresholds (chosen on dev): moderate {moderateThreshold:0.000}, high {highThreshold:0.000}, veto {veto:0.000}");
        double devRecallHigh = CrisisThresholds.Rate(dev, d => d.Min >= RiskLevel.High, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, moderateThreshold, highThreshold, veto, d.Lowerable) >= RiskLevel.High);
        double devFalseHigh = CrisisThresholds.Rate(dev, d => d.Max < RiskLevel.High, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, moderateThreshold, highThreshold, veto, d.Lowerable) >= RiskLevel.High);
        double devRecallModerate = CrisisThresholds.Rate(dev, d => d.Min >= RiskLevel.Moderate, d => CrisisThresholds.Combined(d.Rules, d.Moderate, d.High, moderateThreshold, highThreshold, veto, d.Lowerable) >= RiskLevel.Moderate);
        double rulesRecallHigh = CrisisThresholds.Rate(dev, d => d.Min >= RiskLevel.High, d => d.Rules >= RiskLevel.High);
        report.AppendLine(c0, $"dev (rules + model): must-escalate recall at high {devRecallHigh:0.000} (rules alone {rulesRecallHigh:0.000}), crisis at moderate or above {devRecallModerate:0.000}, false alarms at high {devFalseHigh:0.000}");

        var model = new CrisisRiskModel(moderate, high, moderateBias, highBias, moderateThreshold, highThreshold, [], veto);
        var header = new List<string>
        {
            "EmpathyKit crisis risk model, trained by `empathykit learn crisis` (deterministic: same data, same file).",
            string.Create(c0, $"Learned from: data/crisis pool train split ({train.Count} messages, MIT), GoEmotions train (every 4th comment, Apache-2.0), SenticNet stress titles (Apache-2.0), counsel-chat questions on non-crisis topics (MIT), HarmBench behaviours (MIT); {external} external negatives at weight {ExternalWeight}."),
            string.Create(c0, $"Two logistic heads over {CrisisRiskModel.Dimensions} hashed features; AdaGrad, {Epochs} epochs, learning rate {LearningRate}, L2 {L2}, seed {Seed}."),
            string.Create(c0, $"Thresholds chosen on dev only (corpus dev split, crisis-dev, XSTest safe prompts): high false alarms <= {HighFalseAlarmBudget}, moderate on non-crisis <= {ModerateBudget}; veto {veto} (a rule's finding one band lower below it, recall cost <= {VetoRecallBudget})."),
            string.Create(c0, $"Dev: recall at high {devRecallHigh:0.000}, moderate or above {devRecallModerate:0.000}, false alarms at high {devFalseHigh:0.000}."),
        };
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, c0))
        {
            model.Write(writer, header);
        }

        CrisisLearnCommand.WriteAtomically(Path.Combine(outDir, "crisis-model.txt"), text.ToString());
        report.AppendLine(c0, $"wrote {Path.Combine(outDir, "crisis-constructs.txt")} and {Path.Combine(outDir, "crisis-model.txt")}");
        return report.ToString();
    }

    internal static int[] FeaturesOf(ConstructCrisisDetector rules, CrisisInput input)
    {
        TurnAnalysis current = rules.Analyze(input.Text);
        RiskLevel earlierMax = RiskLevel.None;
        bool distress = false;
        bool minor = current.Minor;
        int count = Math.Min(ConstructCrisisDetector.MemoryTurns, input.EarlierUserTurns.Count);
        for (int d = 1; d <= count; d++)
        {
            TurnAnalysis earlier = rules.Analyze(input.EarlierUserTurns[^d]);
            earlierMax = earlier.Level > earlierMax ? earlier.Level : earlierMax;
            distress |= earlier.HasRisk || earlier.HasDistress;
            minor |= earlier.Minor;
        }

        return CrisisFeatures.WithContext(current.Features, earlierMax, distress, minor);
    }


    /// <summary>The lowest threshold on a grid whose rate stays within the budget (rates fall as the threshold rises).</summary>
    private static double Choose(Func<double, double> rate, double budget) => Math.Round(CrisisThresholds.LastWithin(Descending(), rate, budget, 0.99), 2);

    /// <summary>0.99, 0.98, … down to 0.05 (accumulated as the shipped thresholds were chosen).</summary>
    private static IEnumerable<double> Descending()
    {
        for (double t = 0.99; t >= 0.05; t -= 0.01)
        {
            yield return t;
        }
    }

    private static (float Moderate, float High) Fit(List<Example> examples, float[] moderate, float[] high)
    {
        double[] gm = new double[moderate.Length];
        double[] gh = new double[high.Length];
        double bm = 0, bh = 0, gbm = 1e-8, gbh = 1e-8;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(Seed);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (int index in order)
            {
                Example e = examples[index];
                if (e.ModerateLabel is { } ym)
                {
                    Step(e, moderate, gm, ref bm, ref gbm, ym);
                }

                if (e.HighLabel is { } yh)
                {
                    Step(e, high, gh, ref bh, ref gbh, yh);
                }
            }
        }

        return ((float)bm, (float)bh);
    }

    private static void Step(Example e, float[] w, double[] g, ref double bias, ref double gBias, double y)
    {
        double z = bias;
        foreach (int f in e.Features)
        {
            z += w[f];
        }

        double error = (CrisisRiskModel.Sigmoid(z) - y) * e.Weight;
        foreach (int f in e.Features)
        {
            double grad = error + (L2 * w[f]);
            g[f] += grad * grad;
            w[f] -= (float)(LearningRate * grad / Math.Sqrt(g[f] + 1e-8));
        }

        gBias += error * error;
        bias -= LearningRate * error / Math.Sqrt(gBias);
    }

    private sealed record Example(int[] Features, double? ModerateLabel, double? HighLabel, double Weight)
    {
        public static Example Of(ConstructCrisisDetector rules, IReadOnlyList<string> turns, RiskLevel min, RiskLevel max, double weight)
        {
            int[] features = FeaturesOf(rules, new CrisisInput(turns[^1], [.. turns.Take(turns.Count - 1)]));
            double? m = min >= RiskLevel.Moderate ? 1 : max < RiskLevel.Moderate ? 0 : null;
            double? h = min >= RiskLevel.High ? 1 : max < RiskLevel.High ? 0 : null;
            return new Example(features, m, h, weight);
        }
    }
}
