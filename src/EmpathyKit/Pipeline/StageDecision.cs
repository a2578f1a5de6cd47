namespace EmpathyKit.Pipeline;

/// <summary>What a stage decided before the inner stages run: go on, answer the turn itself, or go on unless a pending decision answers.</summary>
internal readonly struct StageDecision
{
    private StageDecision(StageAnswer? answer, Task<StageAnswer?>? verdict)
    {
        Answer = answer;
        Verdict = verdict;
    }

    /// <summary>Gets the decision to call the inner stages.</summary>
    public static StageDecision Continue => default;

    /// <summary>Gets the stage's own answer, when it answers the turn (the inner stages are not called).</summary>
    public StageAnswer? Answer { get; }

    /// <summary>Gets the pending decision the inner call runs beside, if any.</summary>
    public Task<StageAnswer?>? Verdict { get; }

    /// <summary>Answers the turn without calling the inner stages.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The decision.</returns>
    public static StageDecision Reply(StageAnswer answer) => new(answer ?? throw new ArgumentNullException(nameof(answer)), null);

    /// <summary>
    /// Calls the inner stages while <paramref name="verdict"/> is pending. If it completes with an answer, the inner call is
    /// cancelled and discarded (streaming: nothing of it is shown, its updates are held until then) and the answer is the
    /// reply; with <see langword="null"/>, the inner reply stands. Only the turn's cancellation may fault the task.
    /// </summary>
    /// <param name="verdict">The pending decision.</param>
    /// <returns>The decision.</returns>
    public static StageDecision ContinueUnless(Task<StageAnswer?> verdict) => new(null, verdict ?? throw new ArgumentNullException(nameof(verdict)));
}
