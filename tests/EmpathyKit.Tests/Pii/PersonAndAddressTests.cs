using EmpathyKit.Pii;

namespace EmpathyKit.Tests.Pii;

public sealed class PersonAndAddressTests
{
    private static readonly RecognizerPiiDetector Detector = RecognizerPiiDetector.CreateDefault();

    [Theory]
    [InlineData("My name's Daniel Okafor, I'm struggling.", "Daniel Okafor")]
    [InlineData("Hi I'm Grace, 19, and I can't sleep.", "Grace")]
    [InlineData("My GP, Dr. Singh, referred me here.", "Dr. Singh")]
    [InlineData("My girlfriend Sofia thinks I need help.", "Sofia")]
    [InlineData("My supervisor Mr. Anderson shouted at me.", "Mr. Anderson")]
    [InlineData("I'm Hiroshi Tanaka; contact me later.", "Hiroshi Tanaka")]
    [InlineData("I keep thinking about my ex, Jordan Reyes.", "Jordan Reyes")]
    [InlineData("Marcus from work invited me out.", "Marcus")]
    [InlineData("I'm seeing Dr. Fatima Al-Sayed on Thursday.", "Dr. Fatima Al-Sayed")]
    [InlineData("my friend Hope said it gets better", "Hope")]
    [InlineData("call me patricia", "patricia")]
    [InlineData("I talked to Faina D. Yefremova yesterday", "Faina D. Yefremova")]
    [InlineData("Have you been to a Ravil G Yefimov concert?", "Ravil G Yefimov")]
    [InlineData("What's your last name? Magnusson", "Magnusson")]
    [InlineData("\"I'm glad to hear that,\" says Bergqvist.", "Bergqvist")]
    [InlineData("It's under my partner's name Nicodemus Azarov", "Nicodemus Azarov")]
    [InlineData("She shouted at Gary today", "Gary")]
    [InlineData("ugh i miss hannah so much tonight", "hannah")]
    [InlineData("Mehrudin shouted at me again today.", "Mehrudin")]
    [InlineData("Usamov and I were friends once.", "Usamov")]
    [InlineData("Hi Victor, I'm contacting you about my bill.", "Victor")]
    [InlineData("everyone calls me Aantje", "Aantje")]
    [InlineData("her maiden name is nyberg", "nyberg")]
    [InlineData("I'd like to join accounts with ms. Quinzia", "ms. Quinzia")]
    [InlineData("It may be too that Kaczmarek was influenced by it.", "Kaczmarek")]
    [InlineData("Wisława Szczepańska's case was reopened.", "Wisława Szczepańska")]
    [InlineData("please follow up with Satsita Umkhayev next month", "Satsita Umkhayev")]
    public void Finds_people(string text, string name)
    {
        PiiEntity entity = Assert.Single(Detector.Detect(text), e => e.Type == PiiTypes.Person);
        Assert.Equal(name, text[entity.Start..entity.End]);
    }

    [Theory]
    [InlineData("Faith and Hope keep me going.")]
    [InlineData("Summer makes me feel better.")]
    [InlineData("I felt like Atlas carrying the world.")]
    [InlineData("I was reading about Maslow's hierarchy of needs.")]
    [InlineData("Will you help me? May I ask something?")]
    [InlineData("I'm Tired and I'm Sorry.")]
    [InlineData("I will be travelling to France next week.")]
    [InlineData("Russell Investments is a design agency.")]
    [InlineData("Can I ask you something?")]
    [InlineData("i feel like hope is gone and grace is a myth")]
    [InlineData("The report was written by Friday.")]
    [InlineData("Sertraline is making me sick and Lexapro was worse.")]
    [InlineData("Ive decided to stop. Im tired.")]
    [InlineData("What's the highest bridge in San Francisco?")]
    [InlineData("Insta: @the.real.mia")]
    [InlineData("France was super fun to visit!")]
    [InlineData("I think Spotify is down again and Netflix is too.")]
    [InlineData("C'mon, sing it with me.")]
    [InlineData("Therapy is hard. Anxiety is worse.")]
    [InlineData("IBAN and NHS numbers confuse me.")]
    [InlineData("See you on Monday in April.")]
    public void Leaves_words_that_are_names_alone_without_a_cue(string text)
    {
        Assert.DoesNotContain(Detector.Detect(text), e => e.Type == PiiTypes.Person);
    }

    [Theory]
    [InlineData("We live at 10 Downing Street, London.", "10 Downing Street")]
    [InlineData("My address is 350 Fifth Avenue, New York.", "350 Fifth Avenue")]
    [InlineData("Our flat is Flat 3, 27 Victoria Road, Manchester.", "Flat 3, 27 Victoria Road")]
    [InlineData("Send it to 77 Massachusetts Ave, Cambridge.", "77 Massachusetts Ave")]
    [InlineData("I moved to 12B Elm Grove Apt 4 last week.", "12B Elm Grove Apt 4")]
    [InlineData("Billing: 28245 Puruntie 82 Apt. 595 Lappeenranta", "28245 Puruntie 82 Apt. 595")]
    [InlineData("Sie wohnt in der Hauptstraße 5 in Berlin.", "Hauptstraße 5")]
    [InlineData("The bus station is on Villacher Strasse 89", "Villacher Strasse 89")]
    [InlineData("send it to the corner of ul. Cicha 86 and Leokadia Trail?", "ul. Cicha 86 and Leokadia Trail")]
    [InlineData("Our offices are at PSC 3117, Box 0609 APO AA 44332 now", "PSC 3117, Box 0609 APO AA 44332")]
    [InlineData("she lives at 772 ul. Narewska 94 in town", "772 ul. Narewska 94")]
    [InlineData("6614 Luite tee 87, Salumäe", "6614 Luite tee 87")]
    [InlineData("Caitlin lives at 846 31 Rue Al Imam Al Bakri, Cite Merzgui", "846 31 Rue Al Imam Al Bakri")]
    [InlineData("The bus station is on P.O. Box 104", "P.O. Box 104")]
    [InlineData("the bus drops you off at 74678 midtvollen 130 st.", "74678 midtvollen 130 st")]
    [InlineData("he lives at 28919 136 Filadelfeos Str., Klirou", "28919 136 Filadelfeos Str")]
    public void Finds_street_addresses(string text, string address)
    {
        PiiEntity entity = Assert.Single(Detector.Detect(text), e => e.Type == PiiTypes.StreetAddress);
        Assert.Equal(address, text[entity.Start..entity.End]);
    }

    [Theory]
    [InlineData("I ran 5 km this morning.")]
    [InlineData("I have 3 exams next week.")]
    [InlineData("My IP address is 10.0.0.7 now.")]
    [InlineData("It's been 2 months since my mum died.")]
    [InlineData("The meeting is at 10 tonight, see you then.")]
    [InlineData("My appointment is on 3 March and I'm scared.")]
    public void Leaves_numbers_that_are_not_addresses_alone(string text)
    {
        Assert.DoesNotContain(Detector.Detect(text), e => e.Type == PiiTypes.StreetAddress);
    }

    [Fact]
    public void Names_listed_with_a_found_name_are_people_too()
    {
        IReadOnlyList<PiiEntity> found = Detector.Detect("The founders are Daniel Okafor, Becker and Vasquez.");
        Assert.Equal(3, found.Count(e => e.Type == PiiTypes.Person));
    }

    [Fact]
    public void A_unit_alone_is_part_of_an_address()
    {
        Assert.Contains(Detector.Detect("deliver to Suite 501 please"), e => e.Type == PiiTypes.StreetAddress);
    }

    [Fact]
    public void An_address_block_takes_its_following_short_lines()
    {
        const string text = "Angelo Rizzo\n\n50345 Wingertweg 126\n Suite 408\n Ependes\n\n Switzerland 82590";
        PiiEntity address = Assert.Single(Detector.Detect(text), e => e.Type == PiiTypes.StreetAddress);
        Assert.Equal("50345 Wingertweg 126\n Suite 408\n Ependes\n\n Switzerland 82590", text[address.Start..address.End]);
    }
}
