using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>
/// How the escalation outbox delivers (<c>EmpathyKit:Escalations</c>): each channel is tried at once with a short
/// quick-retry phase, then again with exponential backoff and jitter until <see cref="MaxAttempts"/>, when the delivery
/// is dead-lettered. Every limit here is enforced and listed in docs/limits.md.
/// </summary>
public sealed class EscalationOptions
{
    /// <summary>Gets or sets how many calls a channel gets for one escalation, quick retries included, before it is dead-lettered. 1 to 1,000; default 12.</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Gets or sets how many times a failed call is retried at once, within one delivery run (exponential from <see cref="QuickRetryDelay"/>, with jitter). 0 to 10; default 2.</summary>
    [Range(0, 10)]
    public int QuickRetries { get; set; } = 2;

    /// <summary>Gets or sets the first quick retry's delay. 10 ms to 1 minute; default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the delay before the first run after a failed one; it doubles with each run, with jitter, up to <see cref="MaxRetryDelay"/>. 1 second to 1 hour; default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest delay between runs. 1 second to 1 day, at least <see cref="FirstRetryDelay"/>; default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long one call to a channel may take before it counts as failed. 100 ms to 5 minutes; default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a worker holds a delivery it is running; if the worker dies, the delivery is due again
    /// after it. 10 seconds to 1 hour, and longer than a whole run can take; default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how often an idle worker looks for deliveries it was not told about (another host's, or due after a restart). 100 ms to 1 hour; default 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how many deliveries one worker runs at once. 1 to 256; default 16.</summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Gets or sets how long an escalation may go unacknowledged before it is raised again: to the fallback handlers
    /// (<c>AddEscalationFallback</c>) when there are any, else to every channel again, and the observers
    /// (<see cref="IEscalationObserver"/>) are told so the user can be shown the crisis lines again. Measured from the
    /// escalation, then from each re-raise. 0 turns re-raising off; up to 1 day; default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many times one escalation is raised again at most. 0 to 100; default 3.</summary>
    [Range(0, 100)]
    public int MaxReRaises { get; set; } = 3;

    /// <summary>
    /// Gets or sets how long a turn that escalated waits for the first channel's answer before its reply is released,
    /// so the reply can say <see cref="EscalationStatus.Delivered"/>. The escalation is already durable; 0 releases the
    /// reply at once (<see cref="EscalationStatus.Queued"/>). 0 to 10 seconds; default 1 second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan WaitForDelivery { get; set; } = TimeSpan.FromSeconds(1);
}
