using System.Text;
using EmpathyKit.Webhooks;

namespace EmpathyKit.Tests.Escalation;

/// <summary>Standard Webhooks signing and verification: the specification's published vector, rotation, replay and tampering.</summary>
public sealed class StandardWebhooksTests
{
    // The example in the Standard Webhooks specification and its reference libraries' tests.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] SpecBody = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset SpecTime = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);

    [Fact]
    public void Signing_the_specifications_example_gives_its_published_signature()
    {
        Assert.Equal(SpecSignature, StandardWebhooks.Sign(SpecId, SpecTime, SpecBody, [WebhookSecret.Parse(SpecSecret)]));
    }

    [Fact]
    public void The_specifications_example_verifies_and_any_altered_part_does_not()
    {
        WebhookSecret[] secrets = [WebhookSecret.Parse(SpecSecret)];
        string timestamp = SpecTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(WebhookVerification.Valid, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, secrets, SpecTime));

        byte[] altered = [.. SpecBody];
        altered[^2] ^= 1;
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, altered, secrets, SpecTime));
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify(SpecId + "x", timestamp, SpecSignature, SpecBody, secrets, SpecTime));
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify(SpecId, (SpecTimestamp + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), SpecSignature, SpecBody, secrets, SpecTime));
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, [WebhookSecret.Generate()], SpecTime));
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify(SpecId, timestamp, "v2," + SpecSignature[3..], SpecBody, secrets, SpecTime));
    }

    [Fact]
    public void A_replay_outside_the_window_is_refused_and_the_window_is_five_minutes_either_way()
    {
        WebhookSecret[] secrets = [WebhookSecret.Parse(SpecSecret)];
        string timestamp = SpecTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(WebhookVerification.Valid, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, secrets, SpecTime.AddMinutes(5)));
        Assert.Equal(WebhookVerification.OutsideTolerance, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, secrets, SpecTime.AddMinutes(5).AddSeconds(1)));
        Assert.Equal(WebhookVerification.OutsideTolerance, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, secrets, SpecTime.AddMinutes(-6)));
        Assert.Equal(WebhookVerification.Valid, StandardWebhooks.Verify(SpecId, timestamp, SpecSignature, SpecBody, secrets, SpecTime.AddMinutes(20), TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void During_a_rotation_the_sender_signs_with_both_secrets_and_a_receiver_with_either_accepts()
    {
        WebhookSecret old = WebhookSecret.Generate(), next = WebhookSecret.Generate();
        DateTimeOffset now = DateTimeOffset.UnixEpoch.AddDays(20_000);
        byte[] body = Encoding.UTF8.GetBytes("{\"escalation_id\":\"e-1\",\"level\":\"imminent\"}");
        string signature = StandardWebhooks.Sign("esc_e-1", now, body, [old, next]);
        string timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(2, signature.Split(' ').Length);
        Assert.Equal(WebhookVerification.Valid, StandardWebhooks.Verify("esc_e-1", timestamp, signature, body, [old], now));
        Assert.Equal(WebhookVerification.Valid, StandardWebhooks.Verify("esc_e-1", timestamp, signature, body, [next], now));
        Assert.Equal(WebhookVerification.NoValidSignature, StandardWebhooks.Verify("esc_e-1", timestamp, signature, body, [WebhookSecret.Generate()], now));
    }

    [Theory]
    [InlineData(null, "1614265330", "v1,abc", WebhookVerification.MissingHeaders)]
    [InlineData("msg_1", "", "v1,abc", WebhookVerification.MissingHeaders)]
    [InlineData("msg_1", "1614265330", " ", WebhookVerification.MissingHeaders)]
    [InlineData("msg_1", "-1614265330", "v1,abc", WebhookVerification.BadTimestamp)]
    [InlineData("msg_1", "1614265330.5", "v1,abc", WebhookVerification.BadTimestamp)]
    [InlineData("msg_1", "99999999999999999999999", "v1,abc", WebhookVerification.BadTimestamp)]
    [InlineData("msg_1", "1614265330", "v1,not-base64!! v1 ,,, v1,", WebhookVerification.NoValidSignature)]
    public void Bad_headers_get_a_clear_answer_never_an_exception(string? id, string timestamp, string signature, WebhookVerification expected)
    {
        Assert.Equal(expected, StandardWebhooks.Verify(id, timestamp, signature, SpecBody, [WebhookSecret.Parse(SpecSecret)], SpecTime));
    }

    [Fact]
    public void A_secret_is_checked_on_reading_round_trips_and_never_shows_its_key()
    {
        WebhookSecret secret = WebhookSecret.Generate();
        string exported = secret.Export();
        Assert.StartsWith(WebhookSecret.Prefix, exported, StringComparison.Ordinal);
        Assert.Equal(exported, WebhookSecret.Parse(exported).Export());
        Assert.Equal(exported, WebhookSecret.Parse(exported[WebhookSecret.Prefix.Length..]).Export());
        Assert.DoesNotContain(exported[WebhookSecret.Prefix.Length..], secret.ToString(), StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => WebhookSecret.Parse("whsec_not base64"));
        Assert.Throws<FormatException>(() => WebhookSecret.Parse("whsec_" + Convert.ToBase64String(new byte[16])));
        Assert.Throws<FormatException>(() => WebhookSecret.Parse("whsec_" + Convert.ToBase64String(new byte[65])));
        Assert.Throws<ArgumentException>(() => StandardWebhooks.Sign("msg_1", SpecTime, SpecBody, []));
        Assert.Throws<ArgumentException>(() => StandardWebhooks.Sign("msg\n1", SpecTime, SpecBody, [secret]));
    }
}
