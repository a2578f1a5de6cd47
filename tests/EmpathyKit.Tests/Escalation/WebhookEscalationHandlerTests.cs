using System.Globalization;
using System.Net;
using System.Text.Json;
using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Webhooks;

namespace EmpathyKit.Tests.Escalation;

/// <summary>The webhook escalation handler against a receiver that verifies as Standard Webhooks says.</summary>
public sealed class WebhookEscalationHandlerTests
{
    private static readonly WebhookSecret Secret = WebhookSecret.Generate();

    private static readonly EscalationEvent Escalation = new(
        "0198f0c2-7b1a-7000-8000-000000000001",
        "c-webhook",
        new CrisisAssessment(RiskLevel.Imminent, [CrisisCategory.Suicidal], ["means_at_hand", "time"]) { Rung = CrisisRung.Preparation, Constructs = ["means"] },
        new DateTimeOffset(2026, 12, 2, 20, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task An_escalation_arrives_signed_content_free_and_verifiable()
    {
        var receiver = new Receiver([Secret], HttpStatusCode.NoContent);
        var time = new ManualClock(Escalation.OccurredAt.AddSeconds(2));
        var handler = new WebhookEscalationHandler(new HttpClient(receiver), Options(o => o.OperatorLink = "https://support.example/operator/{conversation_id}"), time);

        await handler.EscalateAsync(Escalation);

        Received got = Assert.Single(receiver.Got);
        Assert.Equal(WebhookVerification.Valid, got.Verification);
        Assert.Equal("esc_" + Escalation.EscalationId, got.Id);
        using JsonDocument body = JsonDocument.Parse(got.Body);
        JsonElement root = body.RootElement;
        Assert.Equal("escalation.raised", root.GetProperty("type").GetString());
        Assert.Equal("c-webhook", root.GetProperty("conversation_id").GetString());
        Assert.Equal("imminent", root.GetProperty("level").GetString());
        Assert.Equal("preparation", root.GetProperty("rung").GetString());
        Assert.Equal(["suicidal"], root.GetProperty("categories").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["means_at_hand", "time"], root.GetProperty("signals").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://support.example/operator/c-webhook", root.GetProperty("operator_link").GetString());
        Assert.Equal("2026-12-02T20:00:00.000Z", root.GetProperty("occurred_at").GetString());
        Assert.Equal(
            ["type", "escalation_id", "conversation_id", "occurred_at", "level", "rung", "categories", "signals", "constructs", "operator_link"],
            root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_re_raise_has_its_own_id_and_type_so_the_receiver_does_not_drop_it_as_a_duplicate()
    {
        var receiver = new Receiver([Secret], HttpStatusCode.OK);
        var handler = new WebhookEscalationHandler(new HttpClient(receiver), Options(), new ManualClock(Escalation.OccurredAt));

        await handler.EscalateAsync(Escalation with { ReRaise = 2 });

        Received got = Assert.Single(receiver.Got);
        Assert.Equal(WebhookVerification.Valid, got.Verification);
        Assert.Equal("esc_" + Escalation.EscalationId + "_r2", got.Id);
        using JsonDocument body = JsonDocument.Parse(got.Body);
        Assert.Equal("escalation.reraised", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("re_raise").GetInt32());
        Assert.Equal(Escalation.EscalationId, body.RootElement.GetProperty("escalation_id").GetString());
    }

    [Fact]
    public async Task The_same_escalation_sent_again_keeps_its_id_so_the_receiver_can_deduplicate()
    {
        var receiver = new Receiver([Secret], HttpStatusCode.OK);
        var time = new ManualClock(Escalation.OccurredAt);
        var handler = new WebhookEscalationHandler(new HttpClient(receiver), Options(), time);

        await handler.EscalateAsync(Escalation);
        time.Advance(TimeSpan.FromSeconds(30));
        await handler.EscalateAsync(Escalation);

        Assert.Equal(2, receiver.Got.Count);
        Assert.Single(receiver.Got.Select(g => g.Id).Distinct());
        Assert.NotEqual(receiver.Got[0].Timestamp, receiver.Got[1].Timestamp);
        Assert.All(receiver.Got, g => Assert.Equal(WebhookVerification.Valid, g.Verification));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    public async Task A_receiver_that_does_not_answer_2xx_is_not_delivered(HttpStatusCode status)
    {
        var handler = new WebhookEscalationHandler(new HttpClient(new Receiver([Secret], status)), Options());

        HttpRequestException thrown = await Assert.ThrowsAsync<HttpRequestException>(async () => await handler.EscalateAsync(Escalation));
        Assert.Equal(status, thrown.StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_hangs_times_out()
    {
        var handler = new WebhookEscalationHandler(new HttpClient(new Receiver([Secret], HttpStatusCode.OK) { Hang = true }), Options(o => o.Timeout = TimeSpan.FromMilliseconds(50)));

        await Assert.ThrowsAsync<TimeoutException>(async () => await handler.EscalateAsync(Escalation));
    }

    [Fact]
    public async Task During_a_rotation_a_receiver_holding_only_the_new_secret_accepts()
    {
        WebhookSecret next = WebhookSecret.Generate();
        var receiver = new Receiver([next], HttpStatusCode.OK);
        var handler = new WebhookEscalationHandler(new HttpClient(receiver), Options(o => o.Secrets.Add(next.Export())));

        await handler.EscalateAsync(Escalation);

        Assert.Equal(WebhookVerification.Valid, Assert.Single(receiver.Got).Verification);
    }

    [Fact]
    public void Bad_options_are_refused_with_a_clear_error()
    {
        using var http = new HttpClient();
        Assert.Contains("Endpoint", Assert.Throws<ArgumentException>(() => new WebhookEscalationHandler(http, Options(o => o.Endpoint = new Uri("http://receiver.example/hook")))).Message, StringComparison.Ordinal);
        Assert.Contains("Secrets", Assert.Throws<ArgumentException>(() => new WebhookEscalationHandler(http, new WebhookEscalationOptions { Endpoint = new Uri("https://receiver.example/hook") })).Message, StringComparison.Ordinal);
        Assert.Contains("Secrets", Assert.Throws<ArgumentException>(() => new WebhookEscalationHandler(http, Options(o => o.Secrets.Add("whsec_short")))).Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", Assert.Throws<ArgumentException>(() => new WebhookEscalationHandler(http, Options(o => o.Timeout = TimeSpan.Zero))).Message, StringComparison.Ordinal);
        _ = new WebhookEscalationHandler(http, Options(o => o.Endpoint = new Uri("http://127.0.0.1:5000/hook")));
    }

    [Fact]
    public async Task Through_the_pipeline_a_crisis_turn_reaches_the_receiver_and_no_message_text_does()
    {
        var receiver = new Receiver([Secret], HttpStatusCode.OK);
        using var host = new TestHost(
            configure: b => b.AddEscalationHandler(_ => new WebhookEscalationHandler(new HttpClient(receiver), Options())),
            options: o => o.Escalations.WaitForDelivery = TimeSpan.FromSeconds(10));

        SupportReply reply = await host.Chat.SendAsync("c-webhook-turn", "I have the pills in front of me and I'm going to take them all tonight");

        Assert.True(reply.HumanAlerted);
        Received got = Assert.Single(receiver.Got);
        Assert.Equal(WebhookVerification.Valid, got.Verification);
        Assert.DoesNotContain("pills", System.Text.Encoding.UTF8.GetString(got.Body), StringComparison.OrdinalIgnoreCase);
    }

    private static WebhookEscalationOptions Options(Action<WebhookEscalationOptions>? configure = null)
    {
        var options = new WebhookEscalationOptions { Endpoint = new Uri("https://receiver.example/hooks/escalations") };
        options.Secrets.Add(Secret.Export());
        configure?.Invoke(options);
        return options;
    }

    private sealed record Received(string Id, string Timestamp, byte[] Body, WebhookVerification Verification);

    /// <summary>A receiver: verifies each request as Standard Webhooks says (its own clock, its own secrets) and answers with a fixed status.</summary>
    private sealed class Receiver(WebhookSecret[] secrets, HttpStatusCode status) : HttpMessageHandler
    {
        public List<Received> Got { get; } = [];

        public bool Hang { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            string id = request.Headers.GetValues(StandardWebhooks.IdHeader).Single();
            string timestamp = request.Headers.GetValues(StandardWebhooks.TimestampHeader).Single();
            string signature = request.Headers.GetValues(StandardWebhooks.SignatureHeader).Single();
            DateTimeOffset sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture));
            Got.Add(new Received(id, timestamp, body, StandardWebhooks.Verify(id, timestamp, signature, body, secrets, sent.AddSeconds(1))));
            return new HttpResponseMessage(status);
        }
    }
}
