using System.Collections.Concurrent;
using System.Text;
using EmpathyKit.Pii;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>
/// A host's own redactor, as <c>UsePiiRedactor</c> takes it: the built-in detector, but its own placeholders
/// (<see cref="AnglePlaceholderFormat"/>) and its own per-conversation map.
/// </summary>
internal sealed class AnglePlaceholderRedactor : IPiiRedactor
{
    private readonly IPiiDetector _detector = RecognizerPiiDetector.CreateDefault();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _maps = new(StringComparer.Ordinal);

    public PiiPlaceholderFormat PlaceholderFormat => AnglePlaceholderFormat.Instance;

    public async ValueTask<RedactionResult> RedactAsync(string conversationId, string text, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PiiEntity> entities = await _detector.DetectAsync(text, cancellationToken);
        ConcurrentDictionary<string, string> map = _maps.GetOrAdd(conversationId, _ => new(StringComparer.Ordinal));
        var redacted = new StringBuilder();
        int position = 0;
        foreach (PiiEntity entity in entities.OrderBy(e => e.Start))
        {
            if (entity.Start < position)
            {
                continue;
            }

            string value = text[entity.Start..entity.End];
            string placeholder = map.FirstOrDefault(p => p.Value == value).Key
                ?? AnglePlaceholderFormat.Instance.Format(entity.Type, map.Count(p => p.Key.StartsWith("<<" + entity.Type + "#", StringComparison.Ordinal)) + 1);
            map[placeholder] = value;
            redacted.Append(text, position, entity.Start - position).Append(placeholder);
            position = entity.End;
        }

        redacted.Append(text, position, text.Length - position);
        return new RedactionResult(redacted.ToString(), entities);
    }

    public string Rehydrate(string conversationId, string text) =>
        _maps.TryGetValue(conversationId, out ConcurrentDictionary<string, string>? map)
            ? AnglePlaceholderFormat.Instance.Pattern.Replace(text, m => map.TryGetValue(m.Value, out string? value) ? value : m.Value)
            : text;
}
