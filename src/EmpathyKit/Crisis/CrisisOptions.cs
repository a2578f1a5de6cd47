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

    /// <summary>
    /// Gets or sets how long a second opinion may take before the in-process assessment stands alone. It runs beside the
    /// reply, so it delays a turn only when it takes longer than the reply.
    /// </summary>
    /// <value>Default: 1.5 seconds. Between 50 ms and 30 seconds.</value>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan SecondOpinionTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Gets or sets whether a model provider (set with <c>UseChatClient</c>, or <c>UseOpenAI</c>) is also asked for a second
    /// opinion on crisis risk. The built-in assessment decides first: at or above <see cref="ShortCircuitLevel"/> the crisis
    /// reply is given at once and the model is not asked. Otherwise the model is sent the redacted message and earlier user
    /// turns directly (not through the pipeline, never into the transcript), concurrently with the reply, and the reply is
    /// released when both have finished; the higher risk wins (a lower answer never lowers it), and at or above the
    /// short-circuit level the reply is replaced by the crisis reply. A failure or a timeout
    /// (<see cref="SecondOpinionTimeout"/>) leaves the built-in assessment with the <c>second_opinion_unavailable</c> signal.
    /// </summary>
    /// <value>
    /// Default: <see langword="true"/>. No effect with the offline responder (it is not a model) or when a second opinion
    /// was added with <c>AddCrisisSecondOpinion</c> (that one is always used).
    /// </value>
    public bool ModelSecondOpinion { get; set; } = true;

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
