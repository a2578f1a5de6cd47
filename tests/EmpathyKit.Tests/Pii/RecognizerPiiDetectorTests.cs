using EmpathyKit.Pii;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

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
    public void A_long_text_is_read_in_chunks_and_an_entity_on_a_boundary_is_found_whole()
    {
        const string email = "maria.lopez@example.com";
        foreach (int at in new[] { RecognizerPiiDetector.ChunkLength - 10, RecognizerPiiDetector.ChunkLength - 200, RecognizerPiiDetector.ChunkLength + 5 })
        {
            string before = Shapes("work has been a lot lately ", at - 1) + " ";
            string text = before + email + " " + Shapes("and I keep putting things off ", 40_000);
            IReadOnlyList<PiiEntity> entities = Detector.Detect(text);
            Assert.Contains(entities, e => e.Type == PiiTypes.Email && e.Start == before.Length && e.End == before.Length + email.Length);
        }

        // No blank near the boundary (commas): the first chunk is cut inside the address, the next reads it whole.
        string glued = Shapes("work has been a lot lately ", RecognizerPiiDetector.ChunkLength - 201) + " " + new string(',', 190);
        string cut = glued + email + " " + Shapes("and I keep putting things off ", 40_000);
        Assert.Equal([(glued.Length, glued.Length + email.Length)], Detector.Detect(cut).Where(e => e.Type == PiiTypes.Email).Select(e => (e.Start, e.End)));
    }

    [Fact]
    public void Every_occurrence_in_a_long_text_is_found_across_chunks()
    {
        string unit = "Yesterday I emailed sam.jones@example.org and called 07700 900123 about it. ";
        string text = string.Concat(Enumerable.Repeat(unit, 2_000));
        IReadOnlyList<PiiEntity> entities = Detector.Detect(text);
        Assert.Equal(2_000, entities.Count(e => e.Type == PiiTypes.Email));
        Assert.Equal(2_000, entities.Count(e => e.Type == PiiTypes.Phone));
        Assert.All(entities, e => Assert.True(e.End <= text.Length));
    }

    private static string Shapes(string unit, int length) => string.Concat(Enumerable.Repeat(unit, (length / unit.Length) + 1))[..length];

    [Property]
    public bool Random_text_never_throws_and_spans_are_in_bounds(string? s)
    {
        string text = s ?? string.Empty;
        return Detector.Detect(text).All(e => e.Start >= 0 && e.End <= text.Length && e.Start < e.End);
    }
}
