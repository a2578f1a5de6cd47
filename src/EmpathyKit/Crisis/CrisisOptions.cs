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

    /// <summary>Gets or sets how long an optional second opinion may take before the in-process assessment stands alone.</summary>
    /// <value>Default: 1.5 seconds. Between 50 ms and 30 seconds.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan SecondOpinionTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Gets or sets the crisis reply for risk to the user's own life or safety. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>From the <c>CrisisReplies</c> resource for the current UI culture (English built in), following safe-messaging practice.</value>
    public string SelfRiskReply { get; set; } = CrisisReplyResources.Get(nameof(SelfRiskReply));

    /// <summary>Gets or sets the crisis reply for a medical emergency. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>From the <c>CrisisReplies</c> resource for the current UI culture (English built in).</value>
    public string MedicalReply { get; set; } = CrisisReplyResources.Get(nameof(MedicalReply));

    /// <summary>Gets or sets the crisis reply for a disclosure of abuse. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>From the <c>CrisisReplies</c> resource for the current UI culture (English built in).</value>
    public string AbuseReply { get; set; } = CrisisReplyResources.Get(nameof(AbuseReply));

    /// <summary>Gets or sets the crisis reply for thoughts of harming others. Placeholders: <c>{line}</c>, <c>{emergency}</c>.</summary>
    /// <value>From the <c>CrisisReplies</c> resource for the current UI culture (English built in).</value>
    public string HarmOthersReply { get; set; } = CrisisReplyResources.Get(nameof(HarmOthersReply));
}
