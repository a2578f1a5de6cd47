using EmpathyKit.Pii;
using FsCheck;
using FsCheck.Fluent;

namespace EmpathyKit.Tests.Pii;

public sealed class RecognizerPiiDetectorTests
{
    private static readonly RecognizerPiiDetector Detector = RecognizerPiiDetector.CreateDefault();

    [Theory]
    [InlineData("Please email daniel.okafor@gmail.com with the resources.", PiiTypes.Email, "daniel.okafor@gmail.com")]
    [InlineData("Ring me on 07911 654321 any time.", PiiTypes.Phone, "07911 654321")]
    [InlineData("Call +44 20 7946 0958 tomorrow", PiiTypes.Phone, "+44 20 7946 0958")]
    [InlineData("my cell is (415) 555-2671", PiiTypes.Phone, "(415) 555-2671")]
    [InlineData("Visa 4012 8888 8888 1881 is on file", PiiTypes.CreditCard, "4012 8888 8888 1881")]
    [InlineData("Mastercard 2221000000000009 please", PiiTypes.CreditCard, "2221000000000009")]
    public void Detects_structured_pii(string text, string type, string value)
    {
        PiiEntity entity = Assert.Single(Detector.Detect(text));
        Assert.Equal(type, entity.Type);
        Assert.Equal(value, text[entity.Start..entity.End]);
        Assert.False(string.IsNullOrEmpty(entity.Rule));
    }

    [Theory]
    [InlineData("Visa 4012 8888 8888 1882 is on file")]
    [InlineData("The meeting is at 10:30 on 12/05/2024")]
    [InlineData("Call 988 or text 741741, or Samaritans on 116 123")]
    [InlineData("TelefonSeelsorge 0800 111 0 111 is free")]
    [InlineData("I take 20 mg twice a day and scored 95% on the test")]
    [InlineData("version 2.14.3 of the app")]
    [InlineData("Order number 1234 costs $19.99")]
    public void Leaves_look_alikes_and_crisis_numbers_alone(string text)
    {
        Assert.Empty(Detector.Detect(text));
    }

    [Fact]
    public void Hostile_input_does_not_run_away()
    {
        string hostile = new string('a', 50_000) + "@" + string.Concat(Enumerable.Repeat("a.", 20_000));
        IReadOnlyList<PiiEntity> entities = Detector.Detect(hostile + " " + string.Concat(Enumerable.Repeat("1 ", 30_000)));
        Assert.NotNull(entities);
    }

    [Fact]
    public void Random_text_never_throws_and_spans_are_in_bounds()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), (string s) =>
        {
            string text = s ?? string.Empty;
            return Detector.Detect(text).All(e => e.Start >= 0 && e.End <= text.Length && e.Start < e.End);
        }).QuickCheckThrowOnFailure();
    }
}
