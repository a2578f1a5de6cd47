using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Crisis;

public sealed class PerTurnCountryTests
{
    [Fact]
    public async Task The_users_country_chooses_the_crisis_lines()
    {
        using var host = new TestHost();
        SupportReply uk = await host.Chat.SendAsync("c-uk", "I want to kill myself");
        SupportReply au = await host.Chat.SendAsync("c-au", "I want to kill myself", new SupportTurnOptions { Country = "au" });
        Assert.Contains("116 123", uk.Text, StringComparison.Ordinal);
        Assert.Contains("13 11 14", au.Text, StringComparison.Ordinal);
        Assert.Contains("000", au.Text, StringComparison.Ordinal);
        Assert.Equal("AU", au.Report.Country);
    }

    [Fact]
    public async Task Crisis_resources_in_disclaimers_follow_the_users_country()
    {
        using var host = new TestHost();
        SupportReply reply = await host.Chat.SendAsync("c-nz", "I wish I could just disappear forever", new SupportTurnOptions { Country = "NZ" });
        Disclaimer resources = Assert.Single(reply.Disclaimers, d => d.Kind == DisclaimerKinds.CrisisResources);
        Assert.Contains("1737", resources.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_client_users_set_the_country_on_the_turn_report()
    {
        using var host = new TestHost();
        var options = new ChatOptions().SetTurnReport(new TurnReport { Country = "IN" });
        ChatResponse response = await host.Pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "I want to end my life")], options);
        Assert.Contains("14416", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_country_is_a_clear_argument_error()
    {
        using var host = new TestHost();
        await Assert.ThrowsAsync<ArgumentException>(() => host.Chat.SendAsync("c-bad", "hello", new SupportTurnOptions { Country = "United Kingdom" }));
    }
}
