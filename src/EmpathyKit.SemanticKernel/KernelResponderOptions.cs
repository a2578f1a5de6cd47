namespace EmpathyKit.SemanticKernel;

/// <summary>
/// The Kernel responder's prompt template: the part of the system prompt a host may edit (persona, technique, tone).
/// EmpathyKit's safety boundaries come before it and are restated after it, whatever it says.
/// </summary>
public sealed class KernelResponderOptions
{
    /// <summary>The template used when none is set.</summary>
    public const string DefaultTemplate =
        "Speak as a warm, unhurried companion. They seem to feel: {{$emotions}}; their mood over the conversation is {{$mood}}. " +
        "Reflect that feeling and what they told you in your own words, then ask one open question.";

    /// <summary>
    /// The template, rendered for each turn by the Kernel's prompt template factory. Its variables are the turn's
    /// facts, never the user's words: <c>emotions</c> (the strongest emotions, or "no clear emotion"), <c>tone</c>
    /// (very negative … very positive), <c>mood</c> (falling, rising, steady, or "not known yet"), <c>risk</c> (none,
    /// low or moderate: a turn at the crisis level never reaches the responder), <c>check_in</c> ("yes" from moderate
    /// risk: ask kindly and directly about safety), <c>advice_boundary</c> ("yes" when they asked for a diagnosis or
    /// medication advice), <c>advice_asked</c> ("yes" when they asked for ideas), <c>turn</c> (1 for the first) and <c>country</c>.
    /// </summary>
    public string Template { get; set; } = DefaultTemplate;

    /// <summary>The template's format: "semantic-kernel" (the default), or one a factory registered in the Kernel knows (Handlebars, Liquid).</summary>
    public string TemplateFormat { get; set; } = "semantic-kernel";

    /// <summary>
    /// Whether the model may call the Kernel's plugins. They are offered only on turns below moderate risk; their
    /// arguments carry the user's values back, and their results are redacted before the model sees them.
    /// </summary>
    public bool EnablePlugins { get; set; } = true;
}
