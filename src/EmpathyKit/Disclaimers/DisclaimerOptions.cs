using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>Options of the disclaimer stage (configuration section <c>EmpathyKit:Disclaimers</c>).</summary>
public sealed class DisclaimerOptions
{
    /// <summary>Gets or sets the AI disclosure shown on the first turn and then every <see cref="DisclosureInterval"/> turns.</summary>
    /// <value>An English default.</value>
    [Required]
    public string AiDisclosure { get; set; } =
        "Just so you know: I'm an AI support companion, not a person or a therapist. If you ever need urgent help, please contact a crisis line or emergency services.";

    /// <summary>Gets or sets how often, in user turns, the AI disclosure is repeated; 0 shows it on the first turn only.</summary>
    /// <value>Default: 10. Between 0 and 1,000.</value>
    [Range(0, 1000)]
    public int DisclosureInterval { get; set; } = 10;

    /// <summary>
    /// Gets or sets the boundary note added when the user asks for a diagnosis or for medication advice ("do I have
    /// ADHD?", "should I take more sertraline?"): the bot does not diagnose or advise on medication.
    /// </summary>
    /// <value>An English default.</value>
    [Required]
    public string Boundary { get; set; } =
        "I can't diagnose conditions or advise on medication or doses. A doctor, pharmacist or mental health professional can help with that, and I'm happy to help you think about what to ask them.";

    /// <summary>Gets or sets the note listing crisis resources, added when risk is moderate or above. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>An English default.</value>
    [Required]
    public string CrisisResources { get; set; } =
        "If things start to feel like too much, you can reach {line} any time, or call {emergency} in an emergency.";
}
