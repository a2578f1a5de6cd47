namespace EmpathyKit;

/// <summary>Options of the crisis stage (configuration section <c>EmpathyKit:Crisis</c>).</summary>
public sealed class CrisisOptions
{
    /// <summary>Gets or sets the level at or above which the stage answers with a crisis reply and never calls the provider.</summary>
    /// <value>Default: <see cref="RiskLevel.High"/>. Must be moderate or above.</value>
    public RiskLevel ShortCircuitLevel { get; set; } = RiskLevel.High;

    /// <summary>Gets or sets how many of the user's earlier turns the detector sees.</summary>
    /// <value>Default: 20. Between 0 and 200.</value>
    [System.ComponentModel.DataAnnotations.Range(0, 200)]
    public int MemoryTurns { get; set; } = 20;

    /// <summary>Gets or sets the crisis reply for risk to the user's own life or safety. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>An English default following safe-messaging practice.</value>
    public string SelfRiskReply { get; set; } =
        "Thank you for telling me. I'm really glad you did, and I'm taking what you said seriously. Are you safe right now?\n" +
        "If you might act on these thoughts, please call {emergency} now. You can also reach {line}, any time.\n" +
        "Is there someone you trust who could be with you right now? I'm an AI, so I can't call for help myself, but I'm here with you while you reach out.";

    /// <summary>Gets or sets the crisis reply for a medical emergency. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>An English default.</value>
    public string MedicalReply { get; set; } =
        "This sounds like a medical emergency. Please call {emergency} right now, or ask someone near you to call for you.\n" +
        "If you can, unlock your door and stay where someone can reach you. You can also reach {line}.\n" +
        "I'm an AI and can't send help, but I'm here with you. Are you able to call now?";

    /// <summary>Gets or sets the crisis reply for a disclosure of abuse. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>An English default.</value>
    public string AbuseReply { get; set; } =
        "Thank you for telling me. What is happening to you is not okay, and it is not your fault. Are you safe right now?\n" +
        "If you are in danger, please call {emergency}. You can also reach {line}, and they can help you think about next steps.\n" +
        "Is there an adult or someone you trust you could tell today? I'm an AI and can't act for you, but I'm here to listen.";

    /// <summary>Gets or sets the crisis reply for thoughts of harming others. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>An English default.</value>
    public string HarmOthersReply { get; set; } =
        "Thank you for being honest with me about how strong these feelings are. Please put distance between yourself and anyone you might hurt, and anything that could be used to hurt them.\n" +
        "If anyone is in danger right now, call {emergency}. You can also reach {line} to talk it through.\n" +
        "I'm an AI and can't act for you, but I'm here to listen. What is happening right now?";
}
