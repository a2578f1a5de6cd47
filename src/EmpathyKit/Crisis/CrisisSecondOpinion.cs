namespace EmpathyKit.Crisis;

/// <summary>How a second opinion on crisis risk ended (the <c>outcome</c> tag of <c>empathykit.crisis.second_opinion</c>).</summary>
internal enum SecondOpinionOutcome
{
    /// <summary>It answered with the same or a lower level: the built-in assessment stands.</summary>
    Agreed,

    /// <summary>It answered with a higher level below the short-circuit level: the assessment is raised, the reply stands.</summary>
    Raised,

    /// <summary>It answered with a level at or above the short-circuit level: the reply is replaced by the crisis reply.</summary>
    ShortCircuited,

    /// <summary>It threw or gave no usable answer: the built-in assessment stands.</summary>
    Failed,

    /// <summary>It took longer than <see cref="CrisisOptions.SecondOpinionTimeout"/>: the built-in assessment stands.</summary>
    TimedOut,
}

/// <summary>What a second opinion answered.</summary>
/// <param name="Assessment">Its assessment; <see langword="null"/> when it failed or timed out.</param>
/// <param name="TimedOut">Whether it exceeded its timeout.</param>
/// <param name="FailureType">The exception type name when it failed (never a message).</param>
internal sealed record SecondOpinionAnswer(CrisisAssessment? Assessment, bool TimedOut, string? FailureType);

/// <summary>
/// Runs a second-opinion detector (a model or a moderation endpoint) off the caller's thread, bounded by a timeout
/// measured with a <see cref="TimeProvider"/>, and combines its answer with the built-in assessment by taking the higher
/// risk. It is advisory: a failure or a timeout is an answer without an assessment, never an exception (the built-in
/// assessment already fails safe).
/// </summary>
internal sealed class CrisisSecondOpinion
{
    /// <summary>The signal added when the second opinion raised the risk.</summary>
    internal const string Signal = "second_opinion";

    /// <summary>The signal added when the second opinion failed or timed out.</summary>
    internal const string UnavailableSignal = "second_opinion_unavailable";

    private readonly ICrisisDetector _detector;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public CrisisSecondOpinion(ICrisisDetector detector, TimeSpan timeout, TimeProvider time)
    {
        _detector = detector;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Gets the detector asked (for tests and diagnostics).</summary>
    internal ICrisisDetector Detector => _detector;

    /// <summary>
    /// Asks the detector. Starts it on the thread pool, so the caller can start the reply at once; throws only
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="input">The message and earlier user turns (raw: a detector that sends them out redacts them first).</param>
    /// <param name="cancellationToken">The turn's cancellation.</param>
    /// <returns>The answer.</returns>
    public async Task<SecondOpinionAnswer> AskAsync(CrisisInput input, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CancellationToken token = linked.Token;
        Task<CrisisAssessment> asked = Task.Run(async () => await _detector.AssessAsync(input, token).ConfigureAwait(false), CancellationToken.None);
        try
        {
            // WaitAsync bounds a detector that ignores its token as well.
            CrisisAssessment? answer = await asked.WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            return answer is null
                ? new SecondOpinionAnswer(null, TimedOut: false, nameof(NullReferenceException))
                : new SecondOpinionAnswer(answer, TimedOut: false, FailureType: null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(asked);
            throw;
        }
        catch (TimeoutException)
        {
            Observe(asked);
            return new SecondOpinionAnswer(null, TimedOut: true, FailureType: null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new SecondOpinionAnswer(null, TimedOut: true, FailureType: null);
        }
#pragma warning disable CA1031 // Advisory: any failure means the built-in assessment stands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new SecondOpinionAnswer(null, TimedOut: false, ex.GetType().Name);
        }
    }

    /// <summary>Combines the built-in assessment with the second opinion's answer: the higher risk wins, a lower one never lowers it.</summary>
    /// <param name="builtIn">The built-in assessment.</param>
    /// <param name="answer">The second opinion's answer.</param>
    /// <param name="shortCircuitLevel">The crisis stage's short-circuit level.</param>
    /// <returns>The combined assessment and the outcome.</returns>
    public static (CrisisAssessment Assessment, SecondOpinionOutcome Outcome) Combine(CrisisAssessment builtIn, SecondOpinionAnswer answer, RiskLevel shortCircuitLevel)
    {
        if (answer.Assessment is not { } other)
        {
            CrisisAssessment unavailable = builtIn with { Signals = [.. builtIn.Signals.Append(UnavailableSignal).Distinct(StringComparer.Ordinal)] };
            return (unavailable, answer.TimedOut ? SecondOpinionOutcome.TimedOut : SecondOpinionOutcome.Failed);
        }

        if (other.Level <= builtIn.Level)
        {
            return (builtIn, SecondOpinionOutcome.Agreed);
        }

        // The built-in rung and constructs stay: they explain what the built-in detector found.
        CrisisAssessment raised = builtIn with
        {
            Level = other.Level,
            Categories = [.. (other.Categories ?? []).Concat(builtIn.Categories).Distinct()],
            Signals = [.. builtIn.Signals.Concat(other.Signals ?? []).Append(Signal).Distinct(StringComparer.Ordinal)],
        };
        return (raised, raised.Reaches(shortCircuitLevel) ? SecondOpinionOutcome.ShortCircuited : SecondOpinionOutcome.Raised);
    }

    /// <summary>Gets the wire name of an outcome (the metric tag).</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The name.</returns>
    public static string WireName(SecondOpinionOutcome outcome) => outcome switch
    {
        SecondOpinionOutcome.Agreed => "agreed",
        SecondOpinionOutcome.Raised => "raised",
        SecondOpinionOutcome.ShortCircuited => "short_circuited",
        SecondOpinionOutcome.Failed => "failed",
        _ => "timed_out",
    };

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
