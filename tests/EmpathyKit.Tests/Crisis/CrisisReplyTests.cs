using EmpathyKit.Tests.Infrastructure;

namespace EmpathyKit.Tests.Crisis;

public sealed class CrisisReplyTests
{
    [Fact]
    public void Built_in_replies_come_from_the_resource_and_follow_safe_messaging()
    {
        var options = new CrisisOptions();
        foreach (string reply in new[] { options.SelfRiskReply, options.MedicalReply, options.AbuseReply, options.HarmOthersReply })
        {
            Assert.Contains("{line}", reply, StringComparison.Ordinal);
            Assert.Contains("{emergency}", reply, StringComparison.Ordinal);
            Assert.Contains("?", reply, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", reply, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"(?i)\b(?:pills?|bridge|rope|dose|mg)\b", reply);
        }

        Assert.Contains("safe right now", options.SelfRiskReply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_can_localise_the_reply()
    {
        using var host = new TestHost(options: o =>
        {
            o.Country = "ES";
            o.Crisis.SelfRiskReply = "Gracias por contármelo. ¿Estás a salvo ahora mismo? Llama al {emergency} o a {line}.";
        });
        SupportReply reply = await host.Chat.SendAsync("c-es", "I want to kill myself");
        Assert.StartsWith("Gracias por contármelo.", reply.Text, StringComparison.Ordinal);
        Assert.Contains("112", reply.Text, StringComparison.Ordinal);
        Assert.Contains("024", reply.Text, StringComparison.Ordinal);
        Assert.Equal(0, host.Provider.Calls);
    }
}
