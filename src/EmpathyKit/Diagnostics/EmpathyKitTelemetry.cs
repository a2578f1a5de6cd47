using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EmpathyKit.Diagnostics;

/// <summary>
/// The activity source and meter EmpathyKit reports through. Tags carry stage names, actions, levels and counts;
/// never message text, PII or keys.
/// </summary>
public static class EmpathyKitTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "EmpathyKit";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Histogram<double> TurnDuration =
        Meter.CreateHistogram<double>("empathykit.turn.duration", unit: "ms", description: "Time of a whole turn through the pipeline, by reply source. Each stage is also an activity, so traces show where the time went.");

    internal static readonly Counter<long> CrisisAssessments =
        Meter.CreateCounter<long>("empathykit.crisis.assessments", description: "Crisis assessments by level.");

    internal static readonly Counter<long> SecondOpinions =
        Meter.CreateCounter<long>("empathykit.crisis.second_opinion", description: "Second opinions on crisis risk, by outcome: agreed, raised, short_circuited, failed, timed_out.");

    internal static readonly Counter<long> Escalations =
        Meter.CreateCounter<long>("empathykit.escalations", description: "Escalations raised, by outcome: queued (in the outbox), alerted or undelivered (the outbox could not be written and the handlers were called directly).");

    internal static readonly Counter<long> EscalationDeliveries =
        Meter.CreateCounter<long>("empathykit.escalation.deliveries", description: "Runs of the escalation outbox's deliveries, by channel and outcome: delivered, retry, dead_lettered, lease_lost.");

    internal static readonly Counter<long> PiiEntities =
        Meter.CreateCounter<long>("empathykit.pii.entities", description: "PII entities redacted, by type.");

    internal static readonly Counter<long> GuardReplacements =
        Meter.CreateCounter<long>("empathykit.guard.replacements", description: "Replies replaced by the output guard, by violation.");

    internal static readonly Histogram<int> EmpathyScores =
        Meter.CreateHistogram<int>("empathykit.reply.empathy", unit: "{score}", description: "EPITOME empathy score (0-6) of each reply the user saw.");

    internal static readonly Counter<long> EmpathyFlags =
        Meter.CreateCounter<long>("empathykit.reply.flags", description: "Anti-patterns the empathy scorer found in replies, by flag.");

    internal static readonly Counter<long> StageFailures =
        Meter.CreateCounter<long>("empathykit.stage.failures", description: "Stage failures handled by the stage's failure rule.");

    internal static readonly Counter<long> TranscriptWrites =
        Meter.CreateCounter<long>("empathykit.transcript.writes", description: "Transcript appends by outcome.");

    internal static readonly Counter<long> HistoryFailures =
        Meter.CreateCounter<long>("empathykit.transcript.history_failures", description: "Turns that ran without their history because it could not be read, by exception type.");

    internal static readonly Counter<long> HistoryGaps =
        Meter.CreateCounter<long>("empathykit.transcript.history_gaps", unit: "{record}", description: "Earlier records a turn read around because they could not be read (damaged or missing in storage).");
}
