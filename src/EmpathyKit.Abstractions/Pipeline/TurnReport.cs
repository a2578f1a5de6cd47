using Microsoft.Extensions.AI;

namespace EmpathyKit;

/// <summary>
/// Everything the pipeline decided about one turn: risk, sentiment, redaction, guard verdict, disclaimers and
/// escalation. Stages share one instance per turn through <c>ChatOptions.AdditionalProperties</c>; hosts read it from
/// the response with <see cref="TurnReportExtensions.GetTurnReport(Microsoft.Extensions.AI.ChatResponse)"/>.
/// </summary>
/// <remarks>
/// One instance belongs to one turn and is written by the stages in pipeline order; it is not meant to be shared
/// between concurrent turns. Each field is written by the built-in stage that owns it (its setter is internal);
/// custom stages write to <see cref="Annotations"/>. It never holds raw PII: the redaction result holds the redacted text and entity spans only.
/// </remarks>
public sealed class TurnReport
{
    private readonly List<Disclaimer> _disclaimers = [];
    private readonly List<string> _stages = [];

    /// <summary>Gets the conversation the turn belongs to (a host that creates the report may set it).</summary>
    public string? ConversationId { get; init; }

    /// <summary>
    /// Gets the ISO 3166-1 alpha-2 country of this conversation (for example from the user's locale), which
    /// chooses the crisis lines and emergency number; <see langword="null"/> uses the pipeline's <c>Country</c> option.
    /// </summary>
    public string? Country { get; init; }

    /// <summary>Gets the zero-based index of this user turn in the conversation.</summary>
    public int TurnIndex { get; internal set; }

    /// <summary>Gets the crisis assessment of the user's message.</summary>
    public CrisisAssessment? Crisis { get; internal set; }

    /// <summary>Gets the sentiment of the user's message.</summary>
    public SentimentResult? Sentiment { get; internal set; }

    /// <summary>Gets the redaction of the user's message (redacted text and entity spans, no values).</summary>
    public RedactionResult? Redaction { get; internal set; }

    /// <summary>Gets the reply as the provider wrote it, before placeholders were turned back into values.</summary>
    public string? RedactedReply { get; internal set; }

    /// <summary>Gets the output guard's verdict on the reply.</summary>
    public GuardResult? Guard { get; internal set; }

    /// <summary>
    /// Gets the empathy score of the reply the user saw (without disclaimers); <see langword="null"/> when a stage
    /// answered before the provider (crisis, input limits, redaction failure) or the scorer failed.
    /// </summary>
    public EmpathyScore? Empathy { get; internal set; }

    /// <summary>Gets the valence of the user's messages over the loaded history and this turn, with its trend.</summary>
    public MoodTrajectory? Mood { get; internal set; }

    /// <summary>Gets the disclaimers shown with the reply, in display order.</summary>
    public IReadOnlyList<Disclaimer> Disclaimers => _disclaimers;

    /// <summary>Gets what happened when the turn escalated; <see langword="null"/> when it did not.</summary>
    public EscalationRecord? Escalation { get; internal set; }

    /// <summary>Gets which part of the pipeline produced the reply.</summary>
    public ReplySource ReplySource { get; internal set; } = ReplySource.Provider;

    /// <summary>
    /// Gets who answered the conversation when this turn arrived (<see cref="ConversationControl.Bot"/> unless the user
    /// had asked for a person or an operator held it), and <see cref="ConversationControl.HumanRequested"/> when this turn
    /// asked for one.
    /// </summary>
    public ConversationControl Control { get; internal set; }

    /// <summary>Gets the display name of the operator holding the conversation, when <see cref="Control"/> is <see cref="ConversationControl.Human"/>.</summary>
    public string? OperatorName { get; internal set; }

    /// <summary>Gets whether control characters were removed from the user's message before processing.</summary>
    public bool InputSanitized { get; internal set; }

    /// <summary>
    /// Gets whether the transcript log accepted this turn's entries: queued for a durable write, or durable when
    /// the host asked to wait (<see cref="TranscriptTarget.WaitForDurability"/>). <see langword="false"/> when the queue
    /// refused them or the write failed (logged and counted).
    /// </summary>
    public bool TranscriptWritten { get; internal set; }

    /// <summary>
    /// Gets whether the conversation's earlier turns could not be read from the transcript log (a damaged or
    /// unreadable record, a store failure): the turn ran without its history, so crisis memory and the turn count
    /// start again. Logged and counted (<c>empathykit.transcript.history_failures</c>); hosts should tell the user.
    /// </summary>
    public bool HistoryUnavailable { get; internal set; }

    /// <summary>
    /// Gets how many of the conversation's earlier records in the history window could not be read (damaged or
    /// missing in storage) and were read around: the turn ran with the rest of its history. Logged and counted
    /// (<c>empathykit.transcript.history_gaps</c>); hosts should tell the user that part of the conversation was lost.
    /// </summary>
    public int UnreadableHistoryRecords { get; internal set; }

    /// <summary>
    /// The placeholders the provider was given this turn (the guard stage collects them from the messages it passes
    /// inward, and its leak check treats any other as a leak). A provider that runs tools itself (the Semantic Kernel
    /// responder) adds the placeholders of the tool results it redacted, which the redactor can restore.
    /// </summary>
    internal HashSet<string>? PlaceholdersGiven { get; set; }

    /// <summary>Gets the names of the stages the turn passed through, outermost first.</summary>
    public IReadOnlyList<string> Stages => _stages;

    /// <summary>
    /// Gets the annotations of custom stages: the place a host's own stage records what it decided about the turn (keys
    /// of its own, such as <c>"myapp.topic"</c>). The fields above are written only by the built-in stage that owns
    /// each, so a custom stage cannot change the crisis assessment, the redaction or the guard's verdict that the
    /// stages outside it act on.
    /// </summary>
    public AdditionalPropertiesDictionary Annotations { get; } = [];

    /// <summary>Records that a disclaimer was shown.</summary>
    /// <param name="disclaimer">The disclaimer.</param>
    internal void AddDisclaimer(Disclaimer disclaimer)
    {
        ArgumentNullException.ThrowIfNull(disclaimer);
        _disclaimers.Add(disclaimer);
    }

    /// <summary>Records that a stage ran for this turn.</summary>
    /// <param name="stageName">The stage's name.</param>
    internal void MarkStage(string stageName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stageName);
        _stages.Add(stageName);
    }
}
