using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpathyKit.Tests.DependencyInjection;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void Options_bind_from_configuration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EmpathyKit:Country"] = "IE",
            ["EmpathyKit:MaxMessageLength"] = "1234",
            ["EmpathyKit:Crisis:ShortCircuitLevel"] = "Imminent",
        }).Build();
        var services = new ServiceCollection();
        services.AddEmpathyKit(configuration.GetSection("EmpathyKit")).UseOfflineResponder().UseInMemoryTranscripts();
        using ServiceProvider provider = services.BuildServiceProvider();
        EmpathyKitOptions options = provider.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>().Get(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.Equal("IE", options.Country);
        Assert.Equal(1234, options.MaxMessageLength);
        Assert.Equal(RiskLevel.Imminent, options.Crisis.ShortCircuitLevel);
    }

    [Fact]
    public void Every_sub_option_has_its_configure_helper()
    {
        var services = new ServiceCollection();
        services.AddEmpathyKit().UseOfflineResponder().UseInMemoryTranscripts()
            .ConfigureCrisisDetection(o => o.MemoryTurns = 7)
            .ConfigurePiiRedaction(o => o.PlaceholderLifetime = TimeSpan.FromMinutes(5))
            .ConfigureDisclaimers(o => o.DisclosureInterval = 9)
            .ConfigurePrompt(o => o.BotName = "Sunny")
            .ConfigureOutputGuard(o => o.AdviceFreeTurns = 3)
            .ConfigureTranscripts(o => o.HistoryCacheConversations = 12);
        using ServiceProvider provider = services.BuildServiceProvider();
        EmpathyKitOptions options = provider.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>().Get(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.Equal(7, options.Crisis.MemoryTurns);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Pii.PlaceholderLifetime);
        Assert.Equal(9, options.Disclaimers.DisclosureInterval);
        Assert.Equal("Sunny", options.Prompt.BotName);
        Assert.Equal(3, options.Guard.AdviceFreeTurns);
        Assert.Equal(12, options.Transcripts.HistoryCacheConversations);
    }

    [Fact]
    public void A_named_pipeline_is_added_by_name_alone_or_with_its_own_configuration_section()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipelines:Teens:Country"] = "AU",
        }).Build();
        string key = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"), "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEmpathyKit("Adults").UseOfflineResponder().UseInMemoryTranscripts().UseKeyFile(key);
        services.AddEmpathyKit("Teens", configuration.GetSection("Pipelines:Teens")).UseOfflineResponder().UseInMemoryTranscripts().UseKeyFile(key);
        using ServiceProvider provider = services.BuildServiceProvider();
        IOptionsMonitor<EmpathyKitOptions> options = provider.GetRequiredService<IOptionsMonitor<EmpathyKitOptions>>();
        Assert.Equal("AU", options.Get("Teens").Country);
        Assert.NotEqual("AU", options.Get("Adults").Country);
        Assert.NotNull(provider.GetRequiredKeyedService<IChatClient>("Adults"));
        Assert.NotNull(provider.GetRequiredKeyedService<IChatClient>("Teens"));
    }

    [Theory]
    [InlineData("MaxMessageLength", "0", "MaxMessageLength")]
    [InlineData("Country", "Narnia", "two-letter")]
    [InlineData("Crisis:ShortCircuitLevel", "Low", "ShortCircuitLevel")]
    [InlineData("Crisis:SelfRiskReply", "Please talk to someone.", "{line}")]
    public void Invalid_options_fail_at_start_with_a_clear_message(string key, string value, string expected)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EmpathyKit:" + key] = value }).Build();
        var services = new ServiceCollection();
        services.AddEmpathyKit(configuration.GetSection("EmpathyKit")).UseOfflineResponder().UseInMemoryTranscripts();
        using ServiceProvider provider = services.BuildServiceProvider();
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_provider_and_key_provider_are_clear_errors()
    {
        var services = new ServiceCollection();
        services.AddEmpathyKit().UseInMemoryTranscripts();
        using ServiceProvider provider = services.BuildServiceProvider();
        InvalidOperationException noProvider = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ISupportChat>());
        Assert.Contains("UseOfflineResponder", noProvider.Message, StringComparison.Ordinal);

        var services2 = new ServiceCollection();
        services2.AddEmpathyKit().UseOfflineResponder().UseInMemoryTranscripts();
        using ServiceProvider provider2 = services2.BuildServiceProvider();
        InvalidOperationException noKey = Assert.Throws<InvalidOperationException>(() => provider2.GetRequiredService<ISupportChat>());
        Assert.Contains("UseKeyFile", noKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_pipelines_live_side_by_side_and_leave_the_hosts_chat_client_alone()
    {
        using var host = new TestHost();
        string keyPath = host.KeyPath;
        var services = new ServiceCollection();
        var hostClient = new FakeChatClient("host's own client");
        services.AddSingleton<IChatClient>(hostClient);
        services.AddEmpathyKit("uk", o => o.Country = "GB").UseOfflineResponder().UseInMemoryTranscripts().UseKeyFile(keyPath);
        services.AddEmpathyKit("us", o => o.Country = "US").UseOfflineResponder().UseInMemoryTranscripts().UseKeyFile(keyPath);
        using ServiceProvider provider = services.BuildServiceProvider();

        SupportReply uk = await provider.GetRequiredKeyedService<ISupportChat>("uk").SendAsync("c", "I want to kill myself");
        SupportReply us = await provider.GetRequiredKeyedService<ISupportChat>("us").SendAsync("c", "I want to kill myself");
        Assert.Contains("116 123", uk.Text, StringComparison.Ordinal);
        Assert.Contains("988", us.Text, StringComparison.Ordinal);
        Assert.Same(hostClient, provider.GetRequiredService<IChatClient>());
        Assert.Same(provider.GetRequiredKeyedService<ISupportChat>("uk"), provider.GetRequiredService<ISupportChat>());
    }

    [Fact]
    public void Registering_the_same_pipeline_name_twice_is_an_error()
    {
        var services = new ServiceCollection();
        services.AddEmpathyKit();
        Assert.Throws<InvalidOperationException>(() => services.AddEmpathyKit());
    }
}
