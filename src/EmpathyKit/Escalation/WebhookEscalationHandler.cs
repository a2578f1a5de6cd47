using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EmpathyKit.Webhooks;

namespace EmpathyKit;

/// <summary>
/// Sends each escalation to a receiver as a Standard Webhooks request: a content-free JSON body (ids, risk level, rung,
/// categories, signals, constructs, the time and an operator link; never message text) with <c>webhook-id</c>
/// (<c>esc_</c> + the escalation id, the receiver's idempotency key), <c>webhook-timestamp</c> and
/// <c>webhook-signature</c> signed with every active secret. Delivered means the receiver answered 2xx; anything else,
/// a timeout or a network failure throws, so the caller counts and logs the failure.
/// </summary>
/// <remarks>One attempt a call: the escalation outbox's worker retries with backoff, and the outbox makes it durable.</remarks>
public sealed class WebhookEscalationHandler : IEscalationHandler
{
    /// <summary>The payload's <c>type</c>.</summary>
    public const string EventType = "escalation.raised";

    /// <summary>The payload's <c>type</c> when nobody acknowledged the escalation in time and it is raised again (the body then has <c>re_raise</c>, and the id ends in <c>_r</c> + that number).</summary>
    public const string ReRaisedEventType = "escalation.reraised";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly WebhookSecret[] _secrets;
    private readonly TimeSpan _timeout;
    private readonly string? _operatorLink;
    private readonly TimeProvider _time;

    /// <summary>Initializes the handler.</summary>
    /// <param name="http">The client requests go through (its own timeout is not relied on).</param>
    /// <param name="options">Where and how to send.</param>
    /// <param name="time">The clock the timestamp is read from.</param>
    /// <exception cref="ArgumentException">The options are incomplete or invalid (the message says which).</exception>
    public WebhookEscalationHandler(HttpClient http, WebhookEscalationOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
        {
            throw new ArgumentException("WebhookEscalationOptions.Endpoint must be an absolute HTTPS URL (plain HTTP only on loopback).", nameof(options));
        }

        if (options.Secrets.Count == 0)
        {
            throw new ArgumentException("WebhookEscalationOptions.Secrets needs at least one secret ('whsec_' + base64).", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(2))
        {
            throw new ArgumentException("WebhookEscalationOptions.Timeout must be above zero and at most 2 minutes.", nameof(options));
        }

        try
        {
            _secrets = [.. options.Secrets.Select(WebhookSecret.Parse)];
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("WebhookEscalationOptions.Secrets: " + ex.Message, nameof(options), ex);
        }

        _http = http;
        _endpoint = endpoint;
        _timeout = options.Timeout;
        _operatorLink = options.OperatorLink;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask EscalateAsync(EscalationEvent escalation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        byte[] body = Payload(escalation, _operatorLink);
        string id = "esc_" + escalation.EscalationId + (escalation.ReRaise > 0 ? "_r" + escalation.ReRaise.ToString(CultureInfo.InvariantCulture) : string.Empty);
        DateTimeOffset now = _time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(StandardWebhooks.IdHeader, id);
        request.Headers.TryAddWithoutValidation(StandardWebhooks.TimestampHeader, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(id, now, body, _secrets));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook receiver did not answer within {_timeout.TotalSeconds:0.#} s.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The webhook receiver answered {(int)response.StatusCode}; the escalation is not delivered.", null, response.StatusCode);
            }
        }
    }

    /// <summary>The content-free body: ids, the assessment's level, rung, categories, signals and constructs, the time, a link.</summary>
    internal static byte[] Payload(EscalationEvent escalation, string? operatorLink)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            CrisisAssessment assessment = escalation.Assessment;
            json.WriteStartObject();
            json.WriteString("type", escalation.ReRaise > 0 ? ReRaisedEventType : EventType);
            json.WriteString("escalation_id", escalation.EscalationId);
            json.WriteString("conversation_id", escalation.ConversationId);
            if (escalation.ReRaise > 0)
            {
                json.WriteNumber("re_raise", escalation.ReRaise);
            }

            json.WriteString("occurred_at", escalation.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", assessment.Level.ToWireName());
            json.WriteString("rung", JsonNamingPolicy.SnakeCaseLower.ConvertName(assessment.Rung.ToString()));
            WriteArray(json, "categories", assessment.Categories.Select(c => c.ToWireName()));
            WriteArray(json, "signals", assessment.Signals);
            WriteArray(json, "constructs", assessment.Constructs);
            if (operatorLink is { Length: > 0 })
            {
                json.WriteString("operator_link", operatorLink
                    .Replace("{conversation_id}", Uri.EscapeDataString(escalation.ConversationId), StringComparison.Ordinal)
                    .Replace("{escalation_id}", Uri.EscapeDataString(escalation.EscalationId), StringComparison.Ordinal));
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
