namespace EmpathyKit.Crisis;

/// <summary>
/// The built-in detector with an optional second opinion (a model or a moderation endpoint), combined by taking the
/// higher risk. The second opinion is advisory: if it fails or exceeds its timeout, the in-process assessment stands with
/// the <c>second_opinion_unavailable</c> signal (the in-process detector already fails safe).
/// </summary>
internal sealed class CombinedCrisisDetector : ICrisisDetector
{
    internal const string SecondOpinionSignal = "second_opinion";
    internal const string SecondOpinionUnavailableSignal = "second_opinion_unavailable";

    private readonly ICrisisDetector _primary;
    private readonly ICrisisDetector _secondOpinion;
    private readonly TimeSpan _timeout;

    public CombinedCrisisDetector(ICrisisDetector primary, ICrisisDetector secondOpinion, TimeSpan timeout)
    {
        _primary = primary;
        _secondOpinion = secondOpinion;
        _timeout = timeout;
    }

    /// <inheritdoc />
    public async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        Task<CrisisAssessment> second = _secondOpinion.AssessAsync(input, timeout.Token).AsTask();
        CrisisAssessment primary = await _primary.AssessAsync(input, cancellationToken).ConfigureAwait(false);
        CrisisAssessment other;
        try
        {
            other = await second.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Advisory: the in-process assessment stands.
        catch (Exception)
#pragma warning restore CA1031
        {
            return primary with { Signals = [.. primary.Signals, SecondOpinionUnavailableSignal] };
        }

        if (other.Level <= primary.Level)
        {
            return primary;
        }

        return new CrisisAssessment(
            other.Level,
            [.. other.Categories.Concat(primary.Categories).Distinct()],
            [.. primary.Signals.Concat(other.Signals).Append(SecondOpinionSignal).Distinct(StringComparer.Ordinal)]);
    }
}
