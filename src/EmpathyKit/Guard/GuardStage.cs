using System.Text;
using EmpathyKit.Diagnostics;
using EmpathyKit.Pii;
using EmpathyKit.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Checks the inner reply sentence by sentence. At the first failing sentence the rest of the reply is replaced by a
/// safe one (finish reason <see cref="ChatFinishReason.ContentFilter"/>), followed by the turn's disclaimers; the
/// violations are recorded in the report.
/// </summary>
/// <remarks>
/// Both paths check the same sentences in the same order, so they produce the same text: streaming emits a sentence
/// only once it has passed. Fails closed: a guard that throws counts as a failed check (<c>guard_error</c>). The guard is
/// told the placeholders the provider was given, and their format (the redactor's), so that any other is a leak.
/// </remarks>
internal sealed class GuardStage : PipelineStage
{
    internal const string SafeReply =
        "I want to be careful with what I say here, so let me step back. I'm not able to help with that, but I'm here to listen. What feels most important to you right now?";

    private readonly IOutputGuard _guard;
    private readonly IEmpathyScorer? _scorer;
    private readonly PiiPlaceholderFormat _placeholders;
    private readonly ILogger _logger;

    /// <summary>Initializes the stage.</summary>
    /// <param name="inner">The inner client.</param>
    /// <param name="guard">The guard.</param>
    /// <param name="scorer">The scorer, or <see langword="null"/> for no score.</param>
    /// <param name="placeholders">The placeholder format of the pipeline's redactor (<see cref="IPiiRedactor.PlaceholderFormat"/>).</param>
    /// <param name="logger">The logger.</param>
    public GuardStage(IChatClient inner, IOutputGuard guard, IEmpathyScorer? scorer, PiiPlaceholderFormat placeholders, ILogger logger)
        : base(inner, PipelineStageNames.OutputGuard)
    {
        _guard = guard;
        _scorer = scorer;
        _placeholders = placeholders;
        _logger = logger;
    }

    protected override ReplyTransform CreateReplyTransform(StageTurn turn) =>
        new CheckSentences(this, turn.Received, CreateContext(turn), turn.Report);

    private GuardContext CreateContext(StageTurn turn)
    {
        TurnReport report = turn.Report;
        var placeholders = new HashSet<string>(StringComparer.Ordinal);
        foreach (ChatMessage message in turn.Received)
        {
            PiiPlaceholders.Collect(_placeholders, message.Text, placeholders);
        }

        // Shared with the report, so a provider that redacts its own tool results can add theirs (before or after this).
        lock (report)
        {
            if (report.PlaceholdersGiven is { } added)
            {
                placeholders.UnionWith(added);
            }

            report.PlaceholdersGiven = placeholders;
        }

        return new GuardContext(report.TurnIndex, report.Crisis?.Level ?? RiskLevel.None, turn.LastUserText, placeholders) { PlaceholderFormat = _placeholders };
    }

    /// <summary>Scores the reply the user sees, without the disclaimers; fails open (no score) and never blocks.</summary>
    private void Score(IReadOnlyList<ChatMessage> messages, GuardContext context, TurnReport report, string shown)
    {
        if (_scorer is null)
        {
            return;
        }

        try
        {
            string suffix = DisclaimerStage.Format(report.Disclaimers);
            string reply = suffix.Length > 0 && shown.EndsWith(suffix, StringComparison.Ordinal) ? shown[..^suffix.Length] : shown;
            var previous = new List<string>();
            foreach (ChatMessage message in messages)
            {
                if (message.Role == ChatRole.Assistant)
                {
                    previous.Add(message.Text);
                }
            }

            EmpathyScore score = _scorer.Score(new EmpathyScoreRequest(context.UserText ?? string.Empty, reply, report.TurnIndex, previous));
            report.Empathy = score;
            EmpathyKitTelemetry.EmpathyScores.Record(score.Total);
            foreach (string flag in score.Flags)
            {
                EmpathyKitTelemetry.EmpathyFlags.Add(1, new KeyValuePair<string, object?>("flag", flag));
            }
        }
#pragma warning disable CA1031 // Fail open: the score only annotates.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ScorerFailed(_logger, ex.GetType().Name);
            CountFailure();
        }
    }

    private async ValueTask<(string Passed, GuardResult? Failure)> CheckSentencesAsync(string text, GuardContext context, CancellationToken cancellationToken)
    {
        // The sentences concatenate back to the text, so what passed is a prefix of it.
        int passed = 0;
        foreach (string sentence in SentenceSplitter.Split(text))
        {
            GuardResult verdict = await CheckAsync(sentence, context, cancellationToken).ConfigureAwait(false);
            if (!verdict.Passed)
            {
                return (text[..passed], verdict);
            }

            passed += sentence.Length;
        }

        return (text, null);
    }

    private string Replace(TurnReport report, GuardResult verdict)
    {
        report.Guard = verdict;
        report.ReplySource = ReplySource.GuardReplacement;
        string violations = string.Join(',', verdict.Violations);
        Log.GuardReplaced(_logger, violations);
        foreach (string violation in verdict.Violations)
        {
            EmpathyKitTelemetry.GuardReplacements.Add(1, new KeyValuePair<string, object?>("violation", violation));
        }

        return SafeReply + DisclaimerStage.Format(report.Disclaimers);
    }

    private async ValueTask<GuardResult> CheckAsync(string sentence, GuardContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await _guard.CheckAsync(sentence, context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed: an unchecked reply is not shown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.GuardFailed(_logger, ex.GetType().Name);
            CountFailure();
            return new GuardResult(false, [GuardViolations.GuardError]);
        }
    }

    /// <summary>
    /// Shows the reply a sentence at a time, each once it has passed; at the first failing sentence the reply ends with
    /// the safe reply and the turn's disclaimers (<see cref="ChatFinishReason.ContentFilter"/>).
    /// </summary>
    private sealed class CheckSentences(GuardStage stage, IReadOnlyList<ChatMessage> messages, GuardContext context, TurnReport report) : ReplyTransform
    {
        private readonly StringBuilder _shown = new();
        private string _pending = string.Empty;

        public override async ValueTask<ReplyChunk> PushAsync(string text, CancellationToken cancellationToken)
        {
            string ready = SentenceSplitter.TakeComplete(ref _pending, text);
            return ready.Length == 0 ? new ReplyChunk(string.Empty) : await CheckAsync(ready, cancellationToken).ConfigureAwait(false);
        }

        public override async ValueTask<ReplyChunk> CompleteAsync(ReplyEnd end, CancellationToken cancellationToken)
        {
            ReplyChunk rest = new(string.Empty);
            if (_pending.Length > 0)
            {
                rest = await CheckAsync(_pending, cancellationToken).ConfigureAwait(false);
                _pending = string.Empty;
                if (rest.Stop is not null)
                {
                    // A failing last sentence: the rest is the safe reply (already scored).
                    return rest;
                }
            }

            report.Guard = GuardResult.Pass;
            stage.Score(messages, context, report, _shown.ToString());
            return rest;
        }

        private async ValueTask<ReplyChunk> CheckAsync(string text, CancellationToken cancellationToken)
        {
            (string passed, GuardResult? failure) = await stage.CheckSentencesAsync(text, context, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                string tail = passed + stage.Replace(report, failure);
                stage.Score(messages, context, report, _shown.Append(tail).ToString());
                return new ReplyChunk(tail, ChatFinishReason.ContentFilter);
            }

            _shown.Append(passed);
            return new ReplyChunk(passed);
        }
    }
}
