using Microsoft.Extensions.Logging;

namespace EmpathyKit.Diagnostics;

/// <summary>Source-generated log messages. None of them takes message text, PII or key material.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Crisis detector failed; treating the turn as high risk (fail safe). Exception type: {ExceptionType}")]
    public static partial void CrisisDetectorFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "PII redaction failed; the message did not leave the process (fail closed). Exception type: {ExceptionType}")]
    public static partial void RedactionFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Output guard replaced a reply. Violations: {Violations}")]
    public static partial void GuardReplaced(ILogger logger, string violations);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Output guard failed; the reply was replaced (fail closed). Exception type: {ExceptionType}")]
    public static partial void GuardFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Disclaimer policy failed; the reply is shown without disclaimers (fail open). Exception type: {ExceptionType}")]
    public static partial void DisclaimerFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Escalation {EscalationId} raised at level {Level} with categories {Categories}")]
    public static partial void EscalationRaised(ILogger logger, string escalationId, string level, string categories);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Escalation handler {Handler} failed for escalation {EscalationId}. Exception type: {ExceptionType}")]
    public static partial void EscalationHandlerFailed(ILogger logger, string handler, string escalationId, string exceptionType);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Writing the transcript failed. Exception type: {ExceptionType}")]
    public static partial void TranscriptWriteFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Sentiment analysis failed; the turn continues without it. Exception type: {ExceptionType}")]
    public static partial void SentimentFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "The support pipeline failed; a safe fallback reply was given. Exception type: {ExceptionType}")]
    public static partial void PipelineFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Reading the conversation history failed; the turn continues without history. Exception type: {ExceptionType}")]
    public static partial void HistoryReadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "{Count} earlier records of the conversation could not be read (damaged or missing in storage) and were read around; the turn continues with the rest of its history. Run 'empathykit transcripts verify'.")]
    public static partial void HistoryReadAround(ILogger logger, int count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "The provider failed; a safe fallback reply was given. Exception type: {ExceptionType}")]
    public static partial void ProviderFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Empathy scoring failed; the reply is shown without a score. Exception type: {ExceptionType}")]
    public static partial void ScorerFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "The crisis second opinion was unavailable ({Outcome}); the built-in assessment stands. Exception type: {ExceptionType}")]
    public static partial void SecondOpinionUnavailable(ILogger logger, string outcome, string exceptionType);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "A transcript append was refused (erasure came first, another subject's conversation, or a failed checkpoint). Exception type: {ExceptionType}")]
    public static partial void TranscriptAppendRefused(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "{Count} transcript appends were still unwritten when the log was disposed.")]
    public static partial void TranscriptAppendsUnwritten(ILogger logger, int count);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "A conversation was skipped by the retention purge because its checkpoint does not verify. Exception type: {ExceptionType}")]
    public static partial void TranscriptPurgeSkipped(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 55, Level = LogLevel.Error, Message = "A subject's conversation label did not open during an erasure: its transcript is erased, but its escalations and control state, if any, are left in the escalation store. Exception type: {ExceptionType}")]
    public static partial void TranscriptEraseLabelSkipped(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "A transcript append was not accepted; the turn continues. Exception type: {ExceptionType}")]
    public static partial void TranscriptAppendNotAccepted(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 45, Level = LogLevel.Error, Message = "Escalation {EscalationId} could not be written to the outbox; its handlers were called directly, without retries. Exception type: {ExceptionType}")]
    public static partial void EscalationOutboxWriteFailed(ILogger logger, string escalationId, string exceptionType);

    [LoggerMessage(EventId = 46, Level = LogLevel.Warning, Message = "Escalation {EscalationId}: channel {Channel} failed attempt {Attempts}; next run at {NextAttemptAt:O}. Exception type: {ExceptionType}")]
    public static partial void EscalationDeliveryFailed(ILogger logger, string escalationId, string channel, int attempts, DateTimeOffset nextAttemptAt, string exceptionType);

    [LoggerMessage(EventId = 47, Level = LogLevel.Critical, Message = "Escalation {EscalationId}: channel {Channel} dead-lettered after {Attempts} attempts. Exception type: {ExceptionType}")]
    public static partial void EscalationDeadLettered(ILogger logger, string escalationId, string channel, int attempts, string exceptionType);

    [LoggerMessage(EventId = 48, Level = LogLevel.Error, Message = "The escalation outbox worker could not reach its store; it tries again. Exception type: {ExceptionType}")]
    public static partial void EscalationOutboxUnavailable(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Escalation {EscalationId} was not acknowledged in time: raised again (re-raise {ReRaise}) to {Channels} channel(s)")]
    public static partial void EscalationReRaised(ILogger logger, string escalationId, int reRaise, int channels);

    [LoggerMessage(EventId = 49, Level = LogLevel.Warning, Message = "The EmpathyKit pipeline '{Pipeline}' keeps its escalation outbox in memory: its transcript store keeps none, so escalations not yet delivered are lost if the process stops. Call UseEscalationStore(...) to keep them.")]
    public static partial void EscalationOutboxInMemory(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "A conversation's control state could not be read; the bot answers this turn (crisis detection and escalation run as always). Exception type: {ExceptionType}")]
    public static partial void ControlReadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "A conversation's control state could not be written ({Change}); the turn was answered. Exception type: {ExceptionType}")]
    public static partial void ControlWriteFailed(ILogger logger, string change, string exceptionType);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "The EmpathyKit pipeline '{Pipeline}' keeps its conversations' control states in memory: its escalation store keeps none, so hand-overs are not shared between processes and are lost when this one stops.")]
    public static partial void ControlStoreInMemory(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 54, Level = LogLevel.Warning, Message = "The check for a request for a person failed; the message is treated as no request and the bot answers. Exception type: {ExceptionType}")]
    public static partial void HumanRequestCheckFailed(ILogger logger, string exceptionType);
}
