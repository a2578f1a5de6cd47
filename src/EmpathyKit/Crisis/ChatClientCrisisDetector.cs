using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Crisis;

/// <summary>
/// A second-opinion crisis detector that asks a chat model to classify the risk. The message and the earlier turns are
/// redacted before they leave the process; the model answers with a small JSON object, parsed strictly.
/// </summary>
internal sealed class ChatClientCrisisDetector : ICrisisDetector
{
    private const string Instructions =
        "You are a crisis-risk classifier for a mental-health support chat. Classify the LAST user message, using earlier " +
        "messages as context. Levels: none, low (distress without self-harm), moderate (passive ideation, self-harm urges, " +
        "concern for someone else), high (active ideation, recent self-harm, means-seeking after distress, abuse " +
        "disclosure, threats to others), imminent (plan with means or time, attempt in progress, ingestion done). " +
        "Categories: suicidal, self_harm, eating_disorder, harm_others, abuse, medical, third_party, distress. " +
        "Answer with JSON only: {\"level\":\"...\",\"categories\":[\"...\"]}.";

    private readonly IChatClient _client;
    private readonly IPiiRedactor _redactor;

    public ChatClientCrisisDetector(IChatClient client, IPiiRedactor redactor)
    {
        _client = client;
        _redactor = redactor;
    }

    /// <inheritdoc />
    public async ValueTask<CrisisAssessment> AssessAsync(CrisisInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        string conversation = "second-opinion-" + Guid.NewGuid().ToString("N");
        var messages = new List<ChatMessage> { new(ChatRole.System, Instructions) };
        foreach (string turn in input.EarlierUserTurns.TakeLast(10))
        {
            messages.Add(new ChatMessage(ChatRole.User, (await _redactor.RedactAsync(conversation, turn, cancellationToken).ConfigureAwait(false)).RedactedText));
        }

        messages.Add(new ChatMessage(ChatRole.User, (await _redactor.RedactAsync(conversation, input.Text, cancellationToken).ConfigureAwait(false)).RedactedText));
        ChatResponse response = await _client.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        return Parse(response.Text);
    }

    internal static CrisisAssessment Parse(string text)
    {
        int start = text.IndexOf('{', StringComparison.Ordinal);
        int end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new FormatException("The second opinion did not answer with JSON.");
        }

        using JsonDocument document = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
        if (!document.RootElement.TryGetProperty("level", out JsonElement level) || !WireNames.TryParseRiskLevel(level.GetString(), out RiskLevel risk))
        {
            throw new FormatException("The second opinion's answer has no valid level.");
        }

        List<CrisisCategory> categories = [];
        if (document.RootElement.TryGetProperty("categories", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement c in list.EnumerateArray())
            {
                if (WireNames.TryParseCategory(c.GetString(), out CrisisCategory category))
                {
                    categories.Add(category);
                }
            }
        }

        return new CrisisAssessment(risk, risk == RiskLevel.None ? [] : categories, []);
    }
}
