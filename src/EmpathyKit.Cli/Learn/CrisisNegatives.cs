using EmpathyKit.Cli.Eval;
using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// The licence-clean negatives both crisis trainers learn from, in one fixed order: every <c>stride</c>-th GoEmotions
/// train comment (none), SenticNet stress titles (none, or low when labelled stressed), counsel-chat questions on topics
/// that are not crises (low), and HarmBench requests that are harmful but not personal crises (none; the few about
/// suicide or self-harm are left out).
/// </summary>
/// <remarks>
/// None of these sources is labelled for risk: a stress label or an emotion is not a risk level, and some texts state
/// suicidal thoughts, a plan or an attempt outright (SenticNet's "stressed" titles hold a few hundred). A text the
/// construct rules read at moderate or above can therefore be left out (pass the rules): its risk is unknown. The
/// semantic trainer leaves them out (as negatives they taught its heads that "I want to end my life" is ordinary); the
/// fast trainer keeps them (on dev, leaving them out cost its recall at high, 0.696 to 0.677, at the same false alarms).
/// </remarks>
internal static class CrisisNegatives
{
    private static readonly string[] CrisisTopics = ["self-harm", "depression", "trauma", "domestic-violence", "eating-disorders", "substance-abuse", "grief-and-loss", "children-adolescents", "anger-management"];

    /// <summary>Calls <paramref name="add"/> for every negative, with the level it stands for.</summary>
    /// <param name="trainDir">The shared training material (../shared/train).</param>
    /// <param name="everyday">GoEmotions train comments.</param>
    /// <param name="stride">Every how many comments one is taken.</param>
    /// <param name="rules">The construct rules (without a model) that decide which texts are left out, or <see langword="null"/> to keep every text.</param>
    /// <param name="add">Receives each text and its level.</param>
    /// <returns>How many texts were left out because the rules read them at moderate or above.</returns>
    public static int Load(string trainDir, IEnumerable<string> everyday, int stride, ConstructCrisisDetector? rules, Action<string, RiskLevel> add)
    {
        int unknown = 0;
        void Add(string text, RiskLevel level)
        {
            if (rules is not null && !string.IsNullOrWhiteSpace(text) && rules.Assess(new CrisisInput(text, []), useModel: false).Level >= RiskLevel.Moderate)
            {
                unknown++;
                return;
            }

            add(text, level);
        }

        int line = 0;
        foreach (string comment in everyday)
        {
            if (line++ % stride == 0)
            {
                Add(comment, RiskLevel.None);
            }
        }

        foreach (string row in File.ReadLines(Path.Combine(trainDir, "crisis", "senticnet-stress", "Reddit_Title.tsv")).Skip(1))
        {
            string[] parts = row.Split('\t');
            if (parts.Length >= 2)
            {
                Add(parts[0], parts[1].Trim() == "1" ? RiskLevel.Low : RiskLevel.None);
            }
        }

        var seenQuestions = new HashSet<string>(StringComparer.Ordinal);
        foreach (Dictionary<string, string> row in Csv.Read(Path.Combine(trainDir, "crisis", "counsel-chat", "20200325_counsel_chat.csv")))
        {
            string question = (row.GetValueOrDefault("questionText") ?? string.Empty).Trim();
            if (!CrisisTopics.Contains(row.GetValueOrDefault("topic") ?? string.Empty) && seenQuestions.Add(question) && question.Length < 600)
            {
                Add(question, RiskLevel.Low);
            }
        }

        foreach (Dictionary<string, string> row in Csv.Read(Path.Combine(trainDir, "crisis", "harmbench", "harmbench_behaviors_text_all.csv")))
        {
            string behavior = row.GetValueOrDefault("Behavior") ?? string.Empty;
            if (!behavior.Contains("suicid", StringComparison.OrdinalIgnoreCase) && !behavior.Contains("self-harm", StringComparison.OrdinalIgnoreCase) && !behavior.Contains("self harm", StringComparison.OrdinalIgnoreCase))
            {
                Add(behavior, RiskLevel.None);
            }
        }

        return unknown;
    }
}
