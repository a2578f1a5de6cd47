namespace EmpathyKit;

/// <summary>
/// Everything the pipeline decided about one turn: risk, sentiment, redaction, guard verdict, disclaimers and
/// escalation. Stages share one instance per turn through <c>ChatOptions.AdditionalProperties</c>; hosts read it from
/// the response with <see cref="TurnReportExtensions.GetTurnReport(Microsoft.Extensions.AI.ChatResponse)"/>.
/// </summary>
/// <remarks>
/// One instance belongs to one turn and is written by the stages in pipeline order; it is not meant to be shared
/// between concurrent turns. It never holds raw PII: the redaction result holds the redacted text and entity spans only.
/// </remarks>
public sealed class TurnReport
{
    private readonly List<Disclaimer> _disclaimers = [];
    private readonly List<string> _stages = [];

    /// <summary>Gets or sets the conversation the turn belongs to.</summary>
    public string? ConversationId { get; set; }

    /// <summary>
    /// Gets or sets the ISO 3166-1 alpha-2 country of this conversation (for example from the user's locale), which
    /// chooses the crisis lines and emergency number; <see langword="null"/> uses the pipeline's <c>Country</c> option.
    /// </summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets the zero-based index of this user turn in the conversation.</summary>
    public int TurnIndex { get; set; }

    /// <summary>Gets or sets the crisis assessment of the user's message.</summary>
    public CrisisAssessment? Crisis { get; set; }

    /// <summary>Gets or sets the sentiment of the user's message.</summary>
    public SentimentResult? Sentiment { get; set; }

    /// <summary>Gets or sets the redaction of the user's message (redacted text and entity spans, no values).</summary>
    public RedactionResult? Redaction { get; set; }

    /// <summary>Gets or sets the reply as the provider wrote it, before placeholders were turned back into values.</summary>
    public string? RedactedReply { get; set; }

    /// <summary>Gets or sets the output guard's verdict on the reply.</summary>
    public GuardResult? Guard { get; set; }

    /// <summary>
    /// Gets or sets the empathy score of the reply the user saw (without disclaimers); <see langword="null"/> when a stage
    /// answered before the provider (crisis, input limits, redaction failure) or the scorer failed.
    /// </summary>
    public EmpathyScore? Empathy { get; set; }

    /// <summary>Gets or sets the valence of the user's messages over the loaded history and this turn, with its trend.</summary>
    public MoodTrajectory? Mood { get; set; }

    /// <summary>Gets the disclaimers shown with the reply, in display order.</summary>
    public IReadOnlyList<Disclaimer> Disclaimers => _disclaimers;

    /// <summary>Gets or sets what happened when the turn escalated; <see langword="null"/> when it did not.</summary>
    public EscalationRecord? Escalation { get; set; }

    /// <summary>Gets or sets which part of the pipeline produced the reply.</summary>
    public ReplySource ReplySource { get; set; } = ReplySource.Provider;

    /// <summary>Gets or sets whether control characters were removed from the user's message before processing.</summary>
    public bool InputSanitized { get; set; }

    /// <summary>
    /// Gets or sets whether the transcript log accepted this turn's entries: queued for a durable write, or durable when
    /// the host asked to wait (<see cref="TranscriptTarget.WaitForDurability"/>). <see langword="false"/> when the queue
    /// refused them or the write failed (logged and counted).
    /// </summary>
    public bool TranscriptWritten { get; set; }

    /// <summary>
    /// Gets or sets whether the conversation's earlier turns could not be read from the transcript log (a damaged or
    /// unreadable record, a store failure): the turn ran without its history, so crisis memory and the turn count
    /// start again. Logged and counted (<c>empathykit.transcript.history_failures</c>); hosts should tell the user.
    /// </summary>
    public bool HistoryUnavailable { get; set; }

    /// <summary>
    /// Gets or sets how many of the conversation's earlier records in the history window could not be read (damaged or
    /// missing in storage) and were read around: the turn ran with the rest of its history. Logged and counted
    /// (<c>empathykit.transcript.history_gaps</c>); hosts should tell the user that part of the conversation was lost.
    /// </summary>
    public int UnreadableHistoryRecords { get; set; }

    /// <summary>Gets the names of the stages the turn passed through, outermost first.</summary>
    public IReadOnlyList<string> Stages => _stages;

    /// <summary>Records that a disclaimer was shown.</summary>
    /// <param name="disclaimer">The disclaimer.</param>
    public void AddDisclaimer(Disclaimer disclaimer)
    {
        ArgumentNullException.ThrowIfNull(disclaimer);
        _disclaimers.Add(disclaimer);
    }

    /// <summary>Records that a stage ran for this turn.</summary>
    /// <param name="stageName">The stage's name.</param>
    public void MarkStage(string stageName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stageName);
        _stages.Add(stageName);
    }
}
