using EmpathyKit.Pii;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace EmpathyKit.Tests.Pii;

public sealed class OperatorAndHookTests
{
    private const string Key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private static PlaceholderRedactor Redactor(Action<PiiOptions> configure)
    {
        var options = new PiiOptions();
        configure(options);
        return new PlaceholderRedactor(RecognizerPiiDetector.CreateDefault(), options, TimeProvider.System);
    }

    [Fact]
    public async Task Mask_keeps_separators_and_is_not_reversible()
    {
        PlaceholderRedactor redactor = Redactor(o => o.Operators[PiiTypes.CreditCard] = PiiOperator.Mask);
        RedactionResult r = await redactor.RedactAsync("c", "card 4012 8888 8888 1881 and jo@example.com");
        Assert.Equal("card **** **** **** **** and [EMAIL_1]", r.RedactedText);
    }

    [Fact]
    public async Task Remove_drops_the_value()
    {
        PlaceholderRedactor redactor = Redactor(o => o.Operator = PiiOperator.Remove);
        Assert.Equal("mail  today", (await redactor.RedactAsync("c", "mail jo@example.com today")).RedactedText);
    }

    [Fact]
    public async Task Pseudonyms_are_keyed_stable_across_conversations_carry_the_key_id_and_rehydrate()
    {
        PlaceholderRedactor redactor = Redactor(o =>
        {
            o.Operator = PiiOperator.Pseudonym;
            o.PseudonymKey = Key;
            o.PseudonymKeyId = "2026a";
        });
        string a = (await redactor.RedactAsync("c1", "mail jo@example.com")).RedactedText;
        string b = (await redactor.RedactAsync("c2", "jo@example.com again")).RedactedText;
        string token = a["mail ".Length..];
        Assert.Matches(@"^\[EMAIL:2026a:[0-9a-f]{10}\]$", token);
        Assert.StartsWith(token, b, StringComparison.Ordinal);
        Assert.Equal("write to jo@example.com", redactor.Rehydrate("c1", "write to " + token));

        PlaceholderRedactor otherKey = Redactor(o =>
        {
            o.Operator = PiiOperator.Pseudonym;
            o.PseudonymKey = Convert.ToBase64String(new byte[32]);
        });
        Assert.NotEqual(token, (await otherKey.RedactAsync("c1", "mail jo@example.com")).RedactedText["mail ".Length..]);
    }

    [Fact]
    public void The_pseudonym_operator_without_a_key_fails_at_start()
    {
        var services = new ServiceCollection();
        services.AddEmpathyKit(o => o.Pii.Operator = PiiOperator.Pseudonym).UseOfflineResponder().UseInMemoryTranscripts();
        using ServiceProvider provider = services.BuildServiceProvider();
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("PseudonymKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_detector_adds_what_the_patterns_cannot_see()
    {
        using var host = new TestHost(configure: b => b.AddPiiDetector(_ => new FakeNer("desrosiers", delay: TimeSpan.Zero)));
        await host.Chat.SendAsync("c-ner", "follow up with patricia desrosiers soon");
        string sent = host.Provider.Requests[^1][^1].Text;
        Assert.DoesNotContain("desrosiers", sent, StringComparison.Ordinal);
        Assert.Contains("[PERSON_1]", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_external_detector_fails_closed()
    {
        using var host = new TestHost(
            configure: b => b.AddPiiDetector(_ => new FakeNer("desrosiers", delay: TimeSpan.FromSeconds(5))),
            options: o => o.Pii.ExternalDetectorTimeout = TimeSpan.FromMilliseconds(50));
        SupportReply reply = await host.Chat.SendAsync("c-ner-slow", "follow up with patricia desrosiers soon");
        Assert.Equal(0, host.Provider.Calls);
        Assert.Equal(ReplySource.SafeFallback, reply.Report.ReplySource);
    }

    private sealed class FakeNer(string word, TimeSpan delay) : IPiiDetector
    {
        public async ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, CancellationToken.None);
            int at = text.IndexOf(word, StringComparison.Ordinal);
            return at < 0 ? [] : [new PiiEntity(PiiTypes.Person, at, at + word.Length, 0.9, "fake_ner")];
        }
    }
}
