using System.Reflection;
using System.Runtime.CompilerServices;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Pipeline;

/// <summary>The turn report can be trusted: only the built-in stages write its fields; custom stages annotate.</summary>
public sealed class TurnReportTrustTests
{
    [Fact]
    public void No_field_of_the_report_can_be_set_from_outside_the_library_once_it_exists()
    {
        foreach (PropertyInfo property in typeof(TurnReport).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            MethodInfo? setter = property.SetMethod;
            if (setter is null || !setter.IsPublic)
            {
                continue;
            }

            // Only a host creating the report may give it its conversation and country (init-only).
            bool initOnly = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            Assert.True(initOnly, $"TurnReport.{property.Name} has a public setter");
            Assert.Contains(property.Name, new[] { nameof(TurnReport.ConversationId), nameof(TurnReport.Country) });
        }

        Assert.False(typeof(TurnReport).GetMethod(nameof(TurnReport.AddDisclaimer))?.IsPublic ?? false);
        Assert.False(typeof(TurnReport).GetMethod(nameof(TurnReport.MarkStage))?.IsPublic ?? false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_custom_stage_annotates_the_report_and_the_crisis_assessment_it_saw_is_the_one_acted_on(bool streaming)
    {
        CrisisAssessment? seen = null;
        using var host = new TestHost(configure: b => b.AddStage(StageSlot.AfterCrisis, (inner, _) => new AnnotatingStage(inner, report =>
        {
            seen = report.Crisis;
            report.Annotations["myapp.topic"] = "work";
        })));
        ChatMessage[] messages = [new(ChatRole.User, "Work has been a lot lately")];

        ChatResponse response = streaming
            ? await host.Pipeline.GetStreamingResponseAsync(messages).ToChatResponseAsync()
            : await host.Pipeline.GetResponseAsync(messages);

        TurnReport report = response.GetTurnReport()!;
        Assert.Equal("work", report.Annotations["myapp.topic"]);
        Assert.Same(seen, report.Crisis);
    }

    private sealed class AnnotatingStage(IChatClient inner, Action<TurnReport> annotate) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            annotate(options.GetTurnReport()!);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            annotate(options.GetTurnReport()!);
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}
