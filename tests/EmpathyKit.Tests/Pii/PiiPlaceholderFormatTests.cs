using EmpathyKit.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace EmpathyKit.Tests.Pii;

/// <summary>The placeholder format of the redactor contract: the built-in one, and what the base class gives a custom one.</summary>
public sealed class PiiPlaceholderFormatTests
{
    private static readonly PiiPlaceholderFormat Default = PiiPlaceholderFormat.Default;

    [Theory]
    [InlineData(PiiTypes.Person, 1, "[PERSON_1]")]
    [InlineData(PiiTypes.CreditCard, 12, "[CREDIT_CARD_12]")]
    [InlineData(PiiTypes.Email, 999_999, "[EMAIL_999999]")]
    public void The_built_in_format_writes_what_it_parses_and_matches(string type, int number, string expected)
    {
        string placeholder = Default.Format(type, number);

        Assert.Equal(expected, placeholder);
        Assert.True(Default.TryParse(placeholder, out string? parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(placeholder, Default.Pattern.Match($"Say hi to {placeholder}.").Value);
    }

    [Fact]
    public void The_built_in_format_parses_pseudonyms()
    {
        Assert.True(Default.TryParse("[PERSON:k1:3f9a0c21be]", out string? type));
        Assert.Equal(PiiTypes.Person, type);
    }

    [Theory]
    [InlineData("[PERSON_1] and more")]
    [InlineData("PERSON_1")]
    [InlineData("[person_1]")]
    [InlineData("[PERSON_]")]
    [InlineData("<<PERSON#1>>")]
    public void The_built_in_format_parses_only_a_whole_placeholder(string text)
    {
        Assert.False(Default.TryParse(text, out string? type));
        Assert.Null(type);
    }

    [Fact]
    public void Every_built_in_placeholder_round_trips()
    {
        Gen<(string Type, int Number)> placeholders =
            from type in Gen.Elements(PiiTypes.Person, PiiTypes.Email, PiiTypes.Phone, PiiTypes.CreditCard, PiiTypes.UsSsn, PiiTypes.Iban, PiiTypes.StreetAddress, PiiTypes.DateOfBirth)
            from number in Gen.Choose(1, 999_999)
            select (type, number);
        Prop.ForAll(placeholders.ToArbitrary(), p =>
        {
            string placeholder = Default.Format(p.Type, p.Number);
            return Default.TryParse(placeholder, out string? type) && type == p.Type && Default.Pattern.Match(placeholder).Length == placeholder.Length;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("Hello there", 11)]
    [InlineData("Hello [PERS", 6)]
    [InlineData("Hello [PERSON_1] and", 20)]
    [InlineData("Hello [PERSON_1", 6)]
    [InlineData("[", 0)]
    public void Streaming_holds_back_a_possible_built_in_placeholder(string text, int expected)
    {
        Assert.Equal(expected, Default.CompletePrefixLength(text));
    }

    [Fact]
    public void Streaming_looks_back_no_further_than_the_longest_placeholder()
    {
        string text = "[" + new string('x', Default.MaxLength);

        Assert.Equal(text.Length, Default.CompletePrefixLength(text));
    }

    [Theory]
    [InlineData("Hello there", 11)]
    [InlineData("Hello <", 6)]
    [InlineData("Hello <<PERSON#", 6)]
    [InlineData("Hello <<PERSON#1>", 6)]
    [InlineData("Hello <<PERSON#1>>", 18)]
    [InlineData("a < b", 5)]
    public void Streaming_holds_back_a_possible_custom_placeholder_by_its_opening_and_closing(string text, int expected)
    {
        Assert.Equal(expected, AnglePlaceholderFormat.Instance.CompletePrefixLength(text));
    }

    [Fact]
    public void A_placeholder_cut_short_is_known_to_the_built_in_format_only()
    {
        Assert.True(Default.ContainsPartial("Is [EMAIL your address?"));
        Assert.True(Default.ContainsPartial("Say hi to [PERSON_1 for me."));
        Assert.False(Default.ContainsPartial("Say hi to [PERSON_1] for me."));
        Assert.False(AnglePlaceholderFormat.Instance.ContainsPartial("Say hi to <<PERSON#1 for me."));
    }
}
