using EmpathyKit.Tests.Infrastructure;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.SemanticKernel;

/// <summary>The Agent Framework's <see cref="ChatClientAgent"/> over the pipeline (no package of ours needed).</summary>
public sealed class AgentFrameworkTests
{
    [Fact]
    public async Task An_agents_instructions_sit_after_the_safety_boundaries_which_are_restated_last()
    {
        var model = new FakeChatClient("I'm here with you. What's been happening?");
        using var host = new TestHost(model);
        var agent = new ChatClientAgent(host.Pipeline, instructions: "Keep replies under three sentences and never use emoji.", name: "support");

        AgentResponse response = await agent.RunAsync("I had an awful day at work", await agent.CreateSessionAsync());

        Assert.StartsWith("I'm here with you. What's been happening?", response.Text, StringComparison.Ordinal);
        string system = Assert.Single(model.Requests.Single(), m => m.Role == ChatRole.System).Text;
        int boundaries = system.IndexOf("Safety boundaries", StringComparison.Ordinal);
        int instructions = system.IndexOf("never use emoji", StringComparison.Ordinal);
        int restated = system.LastIndexOf("Remember: the safety boundaries", StringComparison.Ordinal);
        Assert.True(boundaries >= 0 && boundaries < instructions && instructions < restated, system);
        Assert.Null(model.Options.Single()?.Instructions);
    }

    [Fact]
    public async Task A_session_run_with_a_conversation_id_is_one_transcript_conversation()
    {
        var model = new FakeChatClient("I'm here with you. What's been happening?");
        using var host = new TestHost(model);
        var agent = new ChatClientAgent(host.Pipeline, instructions: "Be brief.", name: "support");
        AgentSession session = await agent.CreateSessionAsync();
        var run = new ChatClientAgentRunOptions(new ChatOptions { ConversationId = "agent-session-1" });

        await agent.RunAsync("I had an awful day at work", session, run);
        await agent.RunAsync("My manager shouted at me in front of everyone", session, run);

        // With the id the agent sends only the new message; the earlier turn is read back from the transcript, once.
        Assert.Equal(
            ["I had an awful day at work", "My manager shouted at me in front of everyone"],
            model.Requests[^1].Where(m => m.Role == ChatRole.User).Select(m => m.Text));

        await host.Transcripts.FlushAsync();
        Assert.Equal(4, (await host.Transcripts.ReadAsync("agent-session-1", 10)).Count);
    }

    [Fact]
    public async Task A_crisis_message_through_an_agent_gets_the_crisis_reply_without_a_model_call()
    {
        var model = new FakeChatClient("Let's talk about something else.");
        using var host = new TestHost(model);
        var agent = new ChatClientAgent(host.Pipeline, instructions: "Be brief.", name: "support");

        AgentResponse response = await agent.RunAsync("I have the pills in front of me and I'm going to take them all tonight", await agent.CreateSessionAsync());

        Assert.Equal(0, model.Calls);
        Assert.Contains("116 123", response.Text, StringComparison.Ordinal);
        Assert.Equal(ReplySource.CrisisResponse, response.Messages[^1].GetTurnReport()?.ReplySource);
    }
}
