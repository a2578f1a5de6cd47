namespace EmpathyKit.Pii;

/// <summary>
/// The built-in detector plus additional ones (for example an external NER service), run together; their entities
/// are merged with the same overlap rules. An additional detector that throws or exceeds
/// <see cref="PiiOptions.ExternalDetectorTimeout"/> makes redaction fail closed: nothing leaves the process.
/// </summary>
internal sealed class CompositePiiDetector : IPiiDetector
{
    private readonly IPiiDetector _primary;
    private readonly IPiiDetector[] _additional;
    private readonly TimeSpan _timeout;

    public CompositePiiDetector(IPiiDetector primary, IEnumerable<IPiiDetector> additional, TimeSpan timeout)
    {
        _primary = primary;
        _additional = [.. additional];
        _timeout = timeout;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        Task<IReadOnlyList<PiiEntity>>[] external = [.. _additional.Select(d => d.DetectAsync(text, timeout.Token).AsTask())];
        var all = new List<PiiEntity>(await _primary.DetectAsync(text, cancellationToken).ConfigureAwait(false));
        foreach (IReadOnlyList<PiiEntity> found in await Task.WhenAll(external).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(found.Where(e => e.Start >= 0 && e.End <= text.Length && e.Start < e.End));
        }

        return PiiSpans.ResolveOverlaps(all);
    }
}
