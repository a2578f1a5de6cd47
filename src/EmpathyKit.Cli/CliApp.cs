using System.CommandLine;
using EmpathyKit.Cli.Analyze;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Cli.Transcripts;

namespace EmpathyKit.Cli;

/// <summary>The <c>empathykit</c> command tree (built here so tests can run commands in process).</summary>
internal static class CliApp
{
    /// <summary>The command's name in usage lines: the tool's command, whatever the executable is called.</summary>
    public const string CommandName = "empathykit";

    public static Command CreateRoot()
    {

        var analyzeInput = new Option<FileInfo?>("--input", "-i") { Description = "JSONL input (id and text or turns a line); standard input when omitted." };
        var analyzeOutput = new Option<FileInfo?>("--output", "-o") { Description = "JSONL output; standard output when omitted." };
        var analyzeParallel = new Option<int>("--parallel", "-p") { Description = "How many lines are analysed at once (results stay in input order); the processor count when omitted.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        analyzeParallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError("--parallel must be between 1 and 256.");
            }
        });
        var analyze = new Command("analyze", "Run the PII, sentiment and crisis engines over JSONL messages.") { analyzeInput, analyzeOutput, analyzeParallel };
        analyze.SetAction(async (parseResult, cancellationToken) =>
        {
            FileInfo? inputFile = parseResult.GetValue(analyzeInput);
            FileInfo? outputFile = parseResult.GetValue(analyzeOutput);
            if (inputFile is { Exists: false })
            {
                await Console.Error.WriteLineAsync($"empathykit analyze: input file '{inputFile.FullName}' does not exist.");
                return AnalyzeRunner.ExitRunFailed;
            }

            // Exit codes: 0 every line analysed, 1 some lines answered with an error, 2 the run failed (input or output).
            try
            {
                await using Stream reader = inputFile is null ? Console.OpenStandardInput() : File.OpenRead(inputFile.FullName);
                await using TextWriter writer = outputFile is null
                    ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false }
                    : new StreamWriter(outputFile.FullName, append: false, new System.Text.UTF8Encoding(false));
                var engines = new Engines();
                await engines.WarmUpAsync(cancellationToken);
                var runner = new AnalyzeRunner(engines) { Parallelism = parseResult.GetValue(analyzeParallel) };
                return await runner.RunAsync(reader, writer, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"empathykit analyze: the run failed: {ex.Message}");
                return AnalyzeRunner.ExitRunFailed;
            }
        });

        var crisisData = new Option<FileInfo>("--data", "-d") { Description = "The crisis data: the development set (JSONL), XSTest's xstest_prompts.csv with --format xstest, or SimpleSafetyTests' CSV with --format sst." };
        var crisisCorpus = new Option<DirectoryInfo>("--corpus") { Description = "The project's crisis corpus (data/crisis) instead of --data; with --split." };
        var crisisSplit = new Option<string>("--split") { Description = "With --corpus: dev, test (the pool's frozen test split), heldout, or train (a regression check, not evidence).", DefaultValueFactory = _ => "dev" };
        crisisSplit.AcceptOnlyFromAmong("train", "dev", "test", "heldout", "all");
        var crisisDetector = new Option<string>("--detector") { Description = "construct (rules and the risk model, the default), rules (without the model), semantic (construct raised by the semantic model, package EmpathyKit.Semantic) or phrase (the previous phrase engine, for comparison).", DefaultValueFactory = _ => "construct" };
        crisisDetector.AcceptOnlyFromAmong("construct", "rules", "semantic", "phrase");
        var crisisShared = new Option<DirectoryInfo>("--shared") { Description = "With --corpus and --split all: the shared folder (../shared) for crisis-dev, XSTest and SimpleSafetyTests in the table." };
        var crisisMisses = new Option<bool>("--misses") { Description = "List every case out of its band (missed escalations, false alarms)." };
        var crisisFormat = new Option<string>("--format", "-f") { Description = "jsonl (the development set), xstest or sst.", DefaultValueFactory = _ => "jsonl" };
        crisisFormat.AcceptOnlyFromAmong("jsonl", "xstest", "sst");
        var evalCrisis = new Command("crisis", "Escalation recall, false-alarm rate, in-band rate, confusion table and misses of the crisis detector.") { crisisData, crisisFormat, crisisCorpus, crisisSplit, crisisDetector, crisisShared, crisisMisses };
        evalCrisis.SetAction(async (parseResult, cancellationToken) =>
        {
            ICrisisDetector detector = parseResult.GetValue(crisisDetector) switch
            {
                "phrase" => new EmpathyKit.Crisis.PhraseCrisisDetector(),
                "semantic" => EmpathyKit.Semantic.SemanticCrisisDetector.Default,
                "rules" => new EmpathyKit.Crisis.Constructs.ConstructCrisisDetector(EmpathyKit.Crisis.Constructs.ConstructLexicon.Default, model: null),
                _ => new Engines().Crisis,
            };
            if (parseResult.GetValue(crisisCorpus) is { } corpus)
            {
                if (!corpus.Exists)
                {
                    await Console.Error.WriteLineAsync($"empathykit eval crisis: '{corpus.FullName}' does not exist.");
                    return 2;
                }

                string split = parseResult.GetValue(crisisSplit)!;
                bool listMisses = parseResult.GetValue(crisisMisses);
                if (split == "all")
                {
                    Console.WriteLine(CrisisEvaluation.SummaryHeader);
                    foreach ((string name, List<CrisisCase> sourceCases) in CrisisSources.Load(corpus.FullName, parseResult.GetValue(crisisShared)?.FullName))
                    {
                        CrisisEvaluation sourceResult = await CrisisEvaluation.RunAsync(detector, sourceCases, cancellationToken);
                        Console.WriteLine(sourceResult.SummaryRow(name));
                    }

                    return 0;
                }

                List<CrisisCase> cases = split == "heldout" ? CrisisCorpus.Heldout(corpus.FullName) : CrisisCorpus.Pool(corpus.FullName, split);
                Console.Write((await CrisisEvaluation.RunAsync(detector, cases, cancellationToken)).Format(listMisses));
                return 0;
            }

            FileInfo? data = parseResult.GetValue(crisisData);
            if (data is null || !data.Exists)
            {
                await Console.Error.WriteLineAsync(data is null ? "empathykit eval crisis: give --data FILE or --corpus DIR." : $"empathykit eval crisis: '{data.FullName}' does not exist.");
                return 2;
            }

            string format = parseResult.GetValue(crisisFormat)!;
            if (format != "jsonl")
            {
                CrisisBenchmarkEvaluation benchmark = format == "xstest"
                    ? await CrisisBenchmarkEvaluation.RunXsTestAsync(detector, data.FullName, cancellationToken)
                    : await CrisisBenchmarkEvaluation.RunSstAsync(detector, data.FullName, cancellationToken);
                Console.Write(benchmark.FormatReport());
                return 0;
            }

            CrisisEvaluation result = await CrisisEvaluation.RunAsync(detector, CrisisCase.ReadJsonl(data.FullName), cancellationToken);
            Console.Write(result.Format());
            return 0;
        });

        var piiData = new Option<FileInfo>("--data", "-d") { Description = "The PII data: the development set (JSONL), e.g. ../shared/eval/pii-dev.jsonl, or presidio-research's synth_dataset_v2.json with --format presidio.", Required = true };
        var piiFormat = new Option<string>("--format", "-f") { Description = "jsonl (the development set) or presidio (presidio-research JSON).", DefaultValueFactory = _ => "jsonl" };
        piiFormat.AcceptOnlyFromAmong("jsonl", "presidio");
        var piiErrors = new Option<int>("--errors") { Description = "How many errors to list with --format presidio.", DefaultValueFactory = _ => 40 };
        var evalPii = new Command("pii", "Recall, precision, F2 and misses of the PII detector.") { piiData, piiFormat, piiErrors };
        evalPii.SetAction(async (parseResult, cancellationToken) =>
        {
            FileInfo data = parseResult.GetValue(piiData)!;
            if (!data.Exists)
            {
                await Console.Error.WriteLineAsync($"empathykit eval pii: '{data.FullName}' does not exist.");
                return 2;
            }

            if (parseResult.GetValue(piiFormat) == "presidio")
            {
                PresidioEvaluation presidio = await PresidioEvaluation.RunAsync(
                    new Engines().PiiDetector, data.FullName, Console.IsErrorRedirected ? null : Console.Error, cancellationToken);
                Console.Write(presidio.Format(parseResult.GetValue(piiErrors)));
                return 0;
            }

            PiiEvaluation result = await PiiEvaluation.RunAsync(new Engines().PiiDetector, PiiCase.ReadJsonl(data.FullName), cancellationToken);
            Console.Write(result.Format());
            return 0;
        });

        var sentimentData = new Option<FileSystemInfo>("--data", "-d") { Description = "VADER: the folder with *_GroundTruth.txt (e.g. ../shared/eval/external/vader); GoEmotions: dev.tsv with --format goemotions (emotions.txt and ekman_mapping.json beside it).", Required = true };
        var sentimentFormat = new Option<string>("--format", "-f") { Description = "vader or goemotions.", DefaultValueFactory = _ => "vader" };
        sentimentFormat.AcceptOnlyFromAmong("vader", "goemotions");
        var sentimentThreshold = new Option<double>("--threshold") { Description = "GoEmotions: the emotion intensity (0..1) at which an emotion counts as predicted.", DefaultValueFactory = _ => 0.3 };
        var evalSentiment = new Command("sentiment", "Pearson r and 3-class accuracy on VADER's ground truth, or Ekman+neutral macro-F1 on GoEmotions.") { sentimentData, sentimentFormat, sentimentThreshold };
        evalSentiment.SetAction(async (parseResult, cancellationToken) =>
        {
            FileSystemInfo data = parseResult.GetValue(sentimentData)!;
            bool vader = parseResult.GetValue(sentimentFormat) == "vader";
            string path = data.FullName;
            if (vader ? !Directory.Exists(path) : !File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"empathykit eval sentiment: '{path}' does not exist (give {(vader ? "the VADER folder" : "GoEmotions' dev.tsv")}).");
                return 2;
            }

            double threshold = parseResult.GetValue(sentimentThreshold);
            if (threshold is <= 0 or > 1)
            {
                await Console.Error.WriteLineAsync("empathykit eval sentiment: --threshold must be above 0 and at most 1.");
                return 2;
            }

            SentimentEvaluation result = vader
                ? SentimentEvaluation.RunVader(new Engines().Sentiment, path, cancellationToken)
                : SentimentEvaluation.RunGoEmotions(new Engines().Sentiment, path, threshold, cancellationToken);
            Console.Write(result.Format());
            return 0;
        });

        var empathyData = new Option<FileInfo>("--data", "-d") { Description = "A JSONL file of {\"message\", \"reply\"} pairs (optional: id, category, turn, previous, band [min,max], flags).", Required = true };
        var empathyDetails = new Option<bool>("--details") { Description = "Print the score and signals of every pair, not only the misses." };
        var evalEmpathy = new Command("empathy", "Score (message, reply) pairs 0-6 on the EPITOME mechanisms and flag anti-patterns.") { empathyData, empathyDetails };
        evalEmpathy.SetAction(async (parseResult, cancellationToken) =>
        {
            FileInfo data = parseResult.GetValue(empathyData)!;
            if (!data.Exists)
            {
                await Console.Error.WriteLineAsync($"empathykit eval empathy: '{data.FullName}' does not exist.");
                return 2;
            }

            EmpathyEvaluation result = EmpathyEvaluation.Run(new Engines().Empathy, data.FullName, parseResult.GetValue(empathyDetails), cancellationToken);
            Console.Write(result.Format());
            return result.AllExpectationsMet ? 0 : 1;
        });

        var eval = new Command("eval", "Measure the detectors on development sets and public benchmarks.") { evalCrisis, CrisisExplain.Create(), CrisisScores.Create(), evalPii, evalSentiment, evalEmpathy };
        // A plain command named after the tool rather than a RootCommand, which takes the running executable's name
        // ("EmpathyKit.Cli") for its usage line; help and version are added as a RootCommand has them.
        return new Command(CommandName, "EmpathyKit: safety-first support-bot toolkit.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            analyze,
            eval,
            Chat.ChatCommand.Create(),
            Learn.LearnCommand.Create(),
            TranscriptCommands.CreateTranscripts(),
            TranscriptCommands.CreateKeys(),
            Feedback.FeedbackCommands.Create(),
        };
    }
}
