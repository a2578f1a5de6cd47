using System.Text;
using EmpathyKit.Pipeline;
using EmpathyKit.Text;

namespace EmpathyKit.SemanticKernel;

/// <summary>
/// The output guard over a model's reply as the function filter shows it, complete or streamed: a sentence at a time,
/// each shown (with the user's values back in place of the placeholders) once it has passed; at the first failing
/// sentence the rest of the reply is the safe reply. Both paths check the same sentences, so they show the same text.
/// Fails closed: a guard that throws stops the reply with the safe reply.
/// </summary>
internal sealed class KernelReplyGuard(KernelSafety safety, KernelSafety.CallState call)
{
    private string _pending = string.Empty;

    /// <summary>Gets whether the reply has ended with the safe reply (nothing more is shown).</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes more of the reply; returns what can be shown now (complete sentences that passed).</summary>
    public async ValueTask<string> PushAsync(string text, CancellationToken cancellationToken)
    {
        if (Stopped || text.Length == 0)
        {
            return string.Empty;
        }

        string ready = SentenceSplitter.TakeComplete(ref _pending, text);
        return ready.Length == 0 ? string.Empty : await CheckAsync(ready, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the reply; returns what is left to show.</summary>
    public async ValueTask<string> CompleteAsync(CancellationToken cancellationToken)
    {
        if (Stopped || _pending.Length == 0)
        {
            return string.Empty;
        }

        string rest = _pending;
        _pending = string.Empty;
        return await CheckAsync(rest, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string> CheckAsync(string text, CancellationToken cancellationToken)
    {
        var shown = new StringBuilder(text.Length);
        var context = new GuardContext(int.MaxValue, call.Risk) { PlaceholderFormat = safety.Redactor.PlaceholderFormat };
        foreach (string sentence in SentenceSplitter.Split(text))
        {
            try
            {
                GuardResult verdict = await safety.Guard.CheckAsync(sentence, context, cancellationToken).ConfigureAwait(false);
                if (!verdict.Passed)
                {
                    KernelFilterTelemetry.Count("guard_replaced");
                    return Stop(shown);
                }

                shown.Append(safety.Redactor.Rehydrate(call.Conversation, sentence));
            }
#pragma warning disable CA1031 // Fail closed: an unchecked reply is not shown.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                KernelFilterTelemetry.Count("failed_closed");
                return Stop(shown);
            }
        }

        return shown.ToString();
    }

    private string Stop(StringBuilder shown)
    {
        Stopped = true;
        _pending = string.Empty;
        return shown.Append(GuardStage.SafeReply).ToString();
    }
}
