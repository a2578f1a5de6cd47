using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>
/// How hosts extend the system prompt a model receives (configuration section <c>EmpathyKit:Prompt</c>). The safety
/// boundaries are not options: they always come first, host text is fenced below them, and they are restated last.
/// </summary>
public sealed class PromptOptions
{
    /// <summary>Gets or sets the companion's name, used in the persona line.</summary>
    /// <value>Default: <see langword="null"/> (no name).</value>
    [StringLength(60)]
    public string? BotName { get; set; }

    /// <summary>
    /// Gets or sets the host's own instructions (audience, tone, topics, the service the bot belongs to). They are added
    /// below the safety boundaries, which take precedence over them.
    /// </summary>
    /// <value>Default: <see langword="null"/>. At most 4,000 characters.</value>
    [StringLength(4_000)]
    public string? AdditionalInstructions { get; set; }

    /// <summary>Gets or sets whether the system prompt is added at all (turn it off only for a provider that sets its own, such as a fine-tuned model with the same rules).</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
