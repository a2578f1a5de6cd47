using EmpathyKit.Pii;

namespace EmpathyKit.Tests.Pii;

/// <summary>Each recognizer with valid values, invalid checksums and look-alikes (times, doses, scores, versions, crisis numbers).</summary>
public sealed class RecognizerTests
{
    private static readonly RecognizerPiiDetector Detector = RecognizerPiiDetector.CreateDefault();

    [Theory]
    [InlineData("SSN 219-09-9999", PiiTypes.UsSsn, "219-09-9999")]
    [InlineData("SSN: 123456789", PiiTypes.UsSsn, "123456789")]
    [InlineData("my social security number is 078 05 1121", PiiTypes.UsSsn, "078 05 1121")]
    [InlineData("My NHS number is 485 777 3457.", PiiTypes.UkNhs, "485 777 3457")]
    [InlineData("National Insurance: JG 10 37 21 A", PiiTypes.UkNino, "JG 10 37 21 A")]
    [InlineData("my NI number is QQ123456C", PiiTypes.UkNino, "QQ123456C")]
    [InlineData("IBAN: FR14 2004 1010 0505 0001 3M02 606", PiiTypes.Iban, "FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("Account NL91ABNA0417164300 please.", PiiTypes.Iban, "NL91ABNA0417164300")]
    [InlineData("pay GB82 WEST 1234 5698 7654 32 THANKS", PiiTypes.Iban, "GB82 WEST 1234 5698 7654 32")]
    [InlineData("We live in London SW1A 2AA.", PiiTypes.Postcode, "SW1A 2AA")]
    [InlineData("Our flat is in Manchester M14 5RQ", PiiTypes.Postcode, "M14 5RQ")]
    [InlineData("350 Fifth Avenue, New York, NY 10118.", PiiTypes.Postcode, "10118")]
    [InlineData("ZIP: 7412 SL", PiiTypes.Postcode, "7412 SL")]
    [InlineData("my zip code is 880", PiiTypes.Postcode, "880")]
    [InlineData("Mill Village NS B0J 2H0", PiiTypes.Postcode, "B0J 2H0")]
    [InlineData("I was born on 5th November 1990.", PiiTypes.DateOfBirth, "5th November 1990")]
    [InlineData("D.O.B. 07/04/1976", PiiTypes.DateOfBirth, "07/04/1976")]
    [InlineData("Birthday: Jan 9, 1999", PiiTypes.DateOfBirth, "Jan 9, 1999")]
    [InlineData("My router IP is 172.16.254.1.", PiiTypes.IpAddress, "172.16.254.1")]
    [InlineData("My IP address is 2001:db8::ff00:42:8329 according to the site.", PiiTypes.IpAddress, "2001:db8::ff00:42:8329")]
    [InlineData("My poetry is on https://www.tumblr.com/blog/quietstorm if you want.", PiiTypes.Url, "https://www.tumblr.com/blog/quietstorm")]
    [InlineData("see reddit.com/u/lost_in_the_woods.", PiiTypes.Url, "reddit.com/u/lost_in_the_woods")]
    [InlineData("I'm @ghostlyghoul_ on TikTok.", PiiTypes.SocialHandle, "@ghostlyghoul_")]
    [InlineData("Insta: @the.real.mia", PiiTypes.SocialHandle, "@the.real.mia")]
    [InlineData("write to jo dot bloggs at gmail dot com please", PiiTypes.Email, "bloggs at gmail dot com")]
    [InlineData("WhatsApp me at +49 151 23456789.", PiiTypes.Phone, "+49 151 23456789")]
    [InlineData("reach my case worker on (312) 555-0176", PiiTypes.Phone, "(312) 555-0176")]
    [InlineData("Her number is 0161 496 0754.", PiiTypes.Phone, "0161 496 0754")]
    [InlineData("Call +1 (202) 555-0148 and ask", PiiTypes.Phone, "+1 (202) 555-0148")]
    [InlineData("office 020 7946 0958 ext. 204 after nine", PiiTypes.Phone, "020 7946 0958 ext. 204")]
    [InlineData("Discover card 6011 0009 9013 9424 was stolen", PiiTypes.CreditCard, "6011 0009 9013 9424")]
    [InlineData("What is the limit for card 501864667909?", PiiTypes.CreditCard, "501864667909")]
    [InlineData("I lost my card 180016070420458 yesterday", PiiTypes.CreditCard, "180016070420458")]
    [InlineData("mobile 345-899-3560x4587 after six", PiiTypes.Phone, "345-899-3560x4587")]
    [InlineData("They're not answering at 71-33-52-22", PiiTypes.Phone, "71-33-52-22")]
    public void Recognizes(string text, string type, string value)
    {
        PiiEntity entity = Assert.Single(Detector.Detect(text), e => e.Type == type);
        Assert.Equal(value, text[entity.Start..entity.End]);
        Assert.InRange(entity.Score, 0.5, 1.0);
    }

    [Theory]
    [InlineData("SSN 666-12-3456")]
    [InlineData("SSN 123-00-4567")]
    [InlineData("the code is 123456789")]
    [InlineData("National Insurance: GB 12 34 56 A is not valid but context makes it count")]
    [InlineData("IBAN: FR15 2004 1010 0505 0001 3M02 606")]
    [InlineData("the product code NL91 is fine")]
    [InlineData("born on 31/02/1990")]
    [InlineData("I've been awake since 5am.")]
    [InlineData("My anxiety is about 6 out of 10 right now.")]
    [InlineData("I take 50 mg of sertraline.")]
    [InlineData("My GAD-7 score was 14.")]
    [InlineData("My blood pressure was 140/90.")]
    [InlineData("version 2.14.3 of the app")]
    [InlineData("The meeting is on 12/05/2024 at 10:30")]
    [InlineData("Call 988 or text 741741, or Samaritans on 116 123")]
    [InlineData("TelefonSeelsorge 0800 111 0 111 is free")]
    [InlineData("I spent £40 on takeaway, 95% of my budget")]
    [InlineData("Order 10118 arrived")]
    [InlineData("I'm in year 12 at school. Chapter 11 of the workbook.")]
    [InlineData("email me @ the usual place")]
    public void Leaves_alone(string text)
    {
        IReadOnlyList<PiiEntity> found = Detector.Detect(text);
        if (text.StartsWith("National Insurance: GB", StringComparison.Ordinal))
        {
            // A malformed NINO next to its context is still redacted (privacy wins), with a lower score.
            Assert.Equal(0.7, Assert.Single(found).Score);
            return;
        }

        Assert.Empty(found);
    }

    [Fact]
    public void An_invalid_nhs_checksum_is_not_an_nhs_number_though_it_may_read_as_a_phone()
    {
        IReadOnlyList<PiiEntity> found = Detector.Detect("My NHS number is 485 777 3458.");
        Assert.DoesNotContain(found, e => e.Type == PiiTypes.UkNhs);
    }

    [Fact]
    public void Context_words_match_whole_words_only()
    {
        // "phone" inside "headphones" is not context; "call" as a word is.
        Assert.Empty(Detector.Detect("my headphones cost 4567 8901 234"));
        var text = new PiiText("please call me: 4567 8901 234");
        Assert.Equal("call", text.FindContext(16, 29, EmpathyKit.Pii.PiiContextWords.Phone));
    }

    [Fact]
    public void Dotted_initialisms_are_one_word()
    {
        Assert.Contains(new PiiText("D.O.B. 07/04/1976").Words, w => w.Word == "dob");
    }

    [Fact]
    public void Entities_explain_themselves()
    {
        PiiEntity entity = Assert.Single(Detector.Detect("SSN: 123456789"));
        Assert.Equal("ssn_bare_with_context", entity.Rule);
        Assert.Equal("ssn", entity.Context);
    }

    [Fact]
    public void Per_type_thresholds_apply()
    {
        var options = new PiiOptions();
        options.Thresholds[PiiTypes.UkNhs] = 0.9;
        var strict = new RecognizerPiiDetector(RecognizerPiiDetector.BuiltInRecognizers(), new PiiAllowList([]), options);
        Assert.DoesNotContain(strict.Detect("reference 485 777 3457"), e => e.Type == PiiTypes.UkNhs);
        Assert.Equal(PiiTypes.UkNhs, Assert.Single(strict.Detect("my NHS number is 485 777 3457")).Type);
    }
}
