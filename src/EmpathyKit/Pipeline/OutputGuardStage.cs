using System.Runtime.CompilerServices;
using System.Text;
using EmpathyKit.Diagnostics;
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
/// only once it has passed. Fails closed: a guard that throws counts as a failed check (<c>guard_error</c>).
/// </remarks>
internal sealed class OutputGuardStage : EmpathyStage
{
    internal const string SafeReply =
        "I want to be careful with what I say here, so let me step back. I'm not able to help with that, but I'm here to listen. What feels most important to you right now?";

    private readonly IOutputGuard _guard;
    private readonly IEmpathyScorer? _scorer;
    private readonly ILogger _logger;

    public OutputGuardStage(IChatClient inner, IOutputGuard guard, IEmpathyScorer? scorer, ILogger logger)
        : base(inner, PipelineStageNames.OutputGuard)
    {
        _guard = guard;
        _scorer = scorer;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        ChatResponse response = await base.GetResponseAsync(list, effective, cancellationToken).ConfigureAwait(false);
        GuardContext context = CreateContext(list, report);
        var output = new StringBuilder();
        foreach (string sentence in SentenceSplitter.Split(response.Text))
        {
            GuardResult verdict = await CheckAsync(sentence, context, cancellationToken).ConfigureAwait(false);
            if (!verdict.Passed)
            {
                output.Append(Replace(report, verdict));
                string replaced = output.ToString();
                Score(list, context, report, replaced);
                return ChatContentRewriter.WithText(response, replaced, ChatFinishReason.ContentFilter);
            }

            output.Append(sentence);
        }

        report.Guard = GuardResult.Pass;
        Score(list, context, report, response.Text);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using System.Diagnostics.Activity? activity = StartActivity();
        IReadOnlyList<ChatMessage> list = AsList(messages);
        (ChatOptions effective, TurnReport report) = Begin(list, options);
        GuardContext context = CreateContext(list, report);
        var pending = new StringBuilder();
        var shown = new StringBuilder();
        ChatResponseUpdate? last = null;
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, effective, cancellationToken).ConfigureAwait(false))
        {
            last = update;
            pending.Append(update.Text);
            int complete = SentenceSplitter.CompletePrefixLength(pending.ToString());
            string passed = string.Empty;
            if (complete > 0)
            {
                string ready = pending.ToString(0, complete);
                pending.Remove(0, complete);
                (passed, GuardResult? failure) = await CheckSentencesAsync(ready, context, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    string tail = passed + Replace(report, failure);
                    Score(list, context, report, shown.Append(tail).ToString());
                    yield return new ChatResponseUpdate(ChatRole.Assistant, tail) { FinishReason = ChatFinishReason.ContentFilter };
                    yield break;
                }
            }

            shown.Append(passed);
            if (passed.Length > 0 || update.Contents.Any(c => c is not TextContent))
            {
                yield return ChatContentRewriter.WithText(update, passed);
            }
        }

        if (pending.Length > 0)
        {
            (string passed, GuardResult? failure) = await CheckSentencesAsync(pending.ToString(), context, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                string tail = passed + Replace(report, failure);
                Score(list, context, report, shown.Append(tail).ToString());
                yield return new ChatResponseUpdate(ChatRole.Assistant, tail) { FinishReason = ChatFinishReason.ContentFilter };
                yield break;
            }

            shown.Append(passed);
            yield return new ChatResponseUpdate(last?.Role ?? ChatRole.Assistant, passed) { FinishReason = last?.FinishReason };
        }

        report.Guard = GuardResult.Pass;
        Score(list, context, report, shown.ToString());
    }

    private static GuardContext CreateContext(IReadOnlyList<ChatMessage> messages, TurnReport report)
    {
        var placeholders = new HashSet<string>(StringComparer.Ordinal);
        foreach (ChatMessage message in messages)
        {
            Guard.ReplyPatterns.CollectPlaceholders(message.Text, placeholders);
        }

        return new GuardContext(report.TurnIndex, report.Crisis?.Level ?? RiskLevel.None, LastUserText(messages), placeholders);
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
        var passed = new StringBuilder();
        foreach (string sentence in SentenceSplitter.Split(text))
        {
            GuardResult verdict = await CheckAsync(sentence, context, cancellationToken).ConfigureAwait(false);
            if (!verdict.Passed)
            {
                return (passed.ToString(), verdict);
            }

            passed.Append(sentence);
        }

        return (passed.ToString(), null);
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
}
