using System.CommandLine;
using System.Globalization;
using System.Text;
using EmpathyKit.Crisis.Constructs;
using EmpathyKit.Semantic;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// <c>empathykit eval crisis-scores</c>: writes, for every development case (the corpus's dev split, crisis-dev, XSTest's
/// safe prompts), what each layer of the semantic detector says (the rules' level, the fast model's and the semantic
/// heads' probabilities, with and without the conversation), as tab-separated values with ids and bands and no text.
/// For studying how the layers should be joined; the evidence splits are not written, so they cannot be fitted to.
/// </summary>
internal static class CrisisScores
{
    public static Command Create()
    {
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "The project's crisis corpus (data/crisis).", Required = true };
        var shared = new Option<DirectoryInfo>("--shared") { Description = "The shared folder (../shared), for crisis-dev and XSTest." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "The TSV file to write.", Required = true };
        var command = new Command("crisis-scores", "Write each development case's layer scores (rules, fast model, semantic heads with and without context) as TSV, for studying the blend; dev data only.") { corpus, shared, output };
        command.SetAction(parseResult =>
        {
            DirectoryInfo dir = parseResult.GetValue(corpus)!;
            if (!dir.Exists)
            {
                Console.Error.WriteLine($"empathykit eval crisis-scores: '{dir.FullName}' does not exist.");
                return 2;
            }

            var cases = new List<(string Source, CrisisCase Case)>();
            cases.AddRange(CrisisCorpus.Pool(dir.FullName, "dev").Select(c => ("corpus", c)));
            foreach ((string name, List<CrisisCase> list) in CrisisSources.Load(null, parseResult.GetValue(shared)?.FullName))
            {
                if (name.StartsWith("crisis-dev", StringComparison.Ordinal))
                {
                    cases.AddRange(list.Select(c => ("crisis-dev", c)));
                }
                else if (name.StartsWith("XSTest", StringComparison.Ordinal))
                {
                    cases.AddRange(list.Select(c => ("xstest", c)));
                }
            }

            File.WriteAllText(parseResult.GetValue(output)!.FullName, Write(cases), new UTF8Encoding(false));
            return 0;
        });
        return command;
    }

    private static string Write(List<(string Source, CrisisCase Case)> cases)
    {
        CultureInfo c0 = CultureInfo.InvariantCulture;
        ConstructCrisisDetector construct = ConstructCrisisDetector.Default;
        SemanticCrisisDetector semantic = SemanticCrisisDetector.Default;
        var text = new StringBuilder("id\tsource\tnegative\tmin\tmax\tturns\trules\tlowerable\tturn_rules\tearlier_rules\tfast_m\tfast_h\tsem_m\tsem_h\tsem0_m\tsem0_h\tearlier_sem_h\tfinal\n");
        foreach ((string source, CrisisCase c) in cases)
        {
            var input = new CrisisInput(c.Turns[^1], [.. c.Turns.Take(c.Turns.Count - 1)]);
            (RiskLevel rules, bool lowerable, double fm, double fh) = construct.Score(input);
            RiskLevel turnRules = construct.Analyze(input.Text).Level;
            RiskLevel earlierRules = RiskLevel.None;
            double earlierSem = 0;
            foreach (string earlier in input.EarlierUserTurns)
            {
                RiskLevel level = construct.Analyze(earlier).Level;
                earlierRules = level > earlierRules ? level : earlierRules;
                earlierSem = Math.Max(earlierSem, semantic.Score(new CrisisInput(earlier, [])).High);
            }

            (double sm, double sh) = semantic.Score(input);
            (double sm0, double sh0) = semantic.Score(new CrisisInput(input.Text, []));
            RiskLevel final = semantic.AssessAsync(input).AsTask().GetAwaiter().GetResult().Level;
            text.AppendLine(c0, $"{c.Id}\t{source}\t{c.Negative ?? "-"}\t{(int)c.Min}\t{(int)c.Max}\t{c.Turns.Count}\t{(int)rules}\t{(lowerable ? 1 : 0)}\t{(int)turnRules}\t{(int)earlierRules}\t{fm:R}\t{fh:R}\t{sm:R}\t{sh:R}\t{sm0:R}\t{sh0:R}\t{earlierSem:R}\t{(int)final}");
        }

        return text.ToString();
    }
}
