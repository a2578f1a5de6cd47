namespace EmpathyKit;

/// <summary>The names the built-in stages record in <see cref="TurnReport.Stages"/>, outermost first.</summary>
public static class PipelineStageNames
{
    /// <summary>The transcript stage (outermost).</summary>
    public const string Transcript = "transcript";

    /// <summary>The conversation control stage (human hand-over), inside the transcript stage.</summary>
    public const string Control = "control";

    /// <summary>The escalation stage.</summary>
    public const string Escalation = "escalation";

    /// <summary>The crisis detection stage.</summary>
    public const string Crisis = "crisis";

    /// <summary>The input-limit gate (inside the crisis stage, so over-long messages are still assessed).</summary>
    public const string InputLimits = "input_limits";

    /// <summary>The sentiment and emotion stage.</summary>
    public const string Sentiment = "sentiment";

    /// <summary>The PII redaction stage.</summary>
    public const string Redaction = "redaction";

    /// <summary>The output guard stage.</summary>
    public const string OutputGuard = "output_guard";

    /// <summary>The disclaimer stage.</summary>
    public const string Disclaimer = "disclaimer";

    /// <summary>The system prompt stage (innermost before the provider).</summary>
    public const string SystemPrompt = "system_prompt";
}
