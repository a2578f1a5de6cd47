using System.Globalization;
using EmpathyKit.Prompting;
using EmpathyKit.Text;
using Microsoft.SemanticKernel;

namespace EmpathyKit.SemanticKernel;

/// <summary>The turn report's facts as template variables (labels and numbers, never the user's words).</summary>
internal static class TurnFacts
{
    /// <summary>The variables for a turn.</summary>
    /// <param name="report">The turn's report (sentiment, mood and crisis filled in by the outer stages).</param>
    /// <param name="userText">The user's message as the stage sees it (redacted), only to tell whether they asked for a diagnosis, medication advice or ideas.</param>
    public static KernelArguments Of(TurnReport report, string userText)
    {
        RiskLevel risk = report.Crisis?.Level ?? RiskLevel.None;
        SentimentResult? sentiment = report.Sentiment;
        // The same emotions the system prompt names.
        string[] emotions = sentiment is null ? [] : [.. SystemPromptBuilder.NamedEmotions(sentiment).Select(e => e.Key.ToWireName())];
        return new KernelArguments
        {
            ["emotions"] = emotions.Length == 0 ? "no clear emotion" : string.Join(", ", emotions),
            ["tone"] = SystemPromptBuilder.Tone(sentiment?.Valence ?? 0),
            ["mood"] = Mood(report.Mood),
            ["risk"] = risk.ToWireName(),
            ["check_in"] = risk >= RiskLevel.Moderate ? "yes" : "no",
            ["advice_boundary"] = userText.Length > 0 && ReplyPatterns.AsksForDiagnosisOrMedication(userText) ? "yes" : "no",
            ["advice_asked"] = ReplyPatterns.AskedForAdvice(userText) ? "yes" : "no",
            ["turn"] = (report.TurnIndex + 1).ToString(CultureInfo.InvariantCulture),
            ["country"] = report.Country ?? string.Empty,
        };
    }


    private static string Mood(MoodTrajectory? mood) => mood switch
    {
        null or { Valences.Count: < 2 } => "not known yet",
        { Declining: true } => "falling",
        { Trend: > 0.1 } => "rising",
        _ => "steady",
    };
}
