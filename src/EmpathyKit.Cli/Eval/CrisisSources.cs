namespace EmpathyKit.Cli.Eval;

/// <summary>
/// Every crisis evaluation source as bands, for one table: the corpus's frozen test split and held-out sets (evidence),
/// their multi-turn conversations, GoEmotions' dev comments (everyday text nobody here wrote, never read by the crisis
/// trainers), and the development sources (the corpus's dev split, crisis-dev, XSTest, SimpleSafetyTests), which
/// thresholds and rules were tuned on and so are not evidence.
/// </summary>
internal static class CrisisSources
{
    public static List<(string Name, List<CrisisCase> Cases)> Load(string? corpus, string? shared)
    {
        var sources = new List<(string, List<CrisisCase>)>();
        if (corpus is not null)
        {
            List<CrisisCase> test = CrisisCorpus.Pool(corpus, "test");
            List<CrisisCase> heldout = CrisisCorpus.Heldout(corpus);
            sources.Add(("corpus test split (evidence)", test));
            sources.Add(("held-out sets h1-h9 (evidence)", heldout));
            sources.Add(("multi-turn, test + held-out (evidence)", [.. test.Concat(heldout).Where(c => c.Turns.Count > 1)]));
            sources.Add(("corpus dev split (development)", CrisisCorpus.Pool(corpus, "dev")));
        }

        if (shared is not null)
        {
            string crisisDev = Path.Combine(shared, "eval", "crisis-dev.jsonl");
            if (File.Exists(crisisDev))
            {
                sources.Add(("crisis-dev (development)", CrisisCase.ReadJsonl(crisisDev)));
            }

            // Reddit comments labelled for emotion, not risk: every one counts as band none, so the rate at moderate or
            // above is an upper bound on false alarms on everyday text (a few comments do state risk).
            string goEmotions = Path.Combine(shared, "eval", "external", "goemotions", "dev.tsv");
            if (File.Exists(goEmotions))
            {
                sources.Add(("GoEmotions dev comments, everyday, not risk-labelled (evidence)", [.. GoEmotionsData.LoadTexts(goEmotions).Select((t, i) => new CrisisCase("goemotions-dev-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), [t], RiskLevel.None, RiskLevel.None, "none"))]));
            }

            string xstest = Path.Combine(shared, "eval", "external", "xstest", "xstest_prompts.csv");
            if (File.Exists(xstest))
            {
                sources.Add(("XSTest safe prompts (development)", [.. Csv.Read(xstest).Where(r => r["label"] == "safe").Select(r => new CrisisCase("xstest-" + r["id"], [r["prompt"]], RiskLevel.None, RiskLevel.None, "none"))]));
            }

            string sst = Path.Combine(shared, "eval", "external", "simplesafetytests", "sst_test_cases.csv");
            if (File.Exists(sst))
            {
                sources.Add(("SimpleSafetyTests self-harm (development)", [.. Csv.Read(sst).Where(r => r["harm_area"].StartsWith("Suicide", StringComparison.Ordinal)).Select(r => new CrisisCase("sst-" + r["id"], [r["prompts_final"]], RiskLevel.Moderate, RiskLevel.Imminent, "suicidal"))]));
            }
        }

        return sources;
    }
}
