using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>The conformance suite itself (package EmpathyKit.Testing): it fails a broken store, and says why.</summary>
public sealed class ConformanceSuiteTests
{
    [Fact]
    public void The_suite_names_its_cases_and_refuses_an_unknown_one()
    {
        Assert.Equal(15, TranscriptStoreConformance.Cases.Count);
        Assert.Contains("random_operations_match_the_model", TranscriptStoreConformance.Cases);
        Assert.Equal(TranscriptStoreConformance.Cases.Count, TranscriptStoreConformance.Cases.Distinct(StringComparer.Ordinal).Count());
        ArgumentException error = Assert.Throws<ArgumentException>(() => TranscriptStoreConformance.RunAsync("no_such_case", new Forgetful(1)).GetAwaiter().GetResult());
        Assert.Contains("append_and_read_round_trip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_check_names_the_case_and_the_expression()
    {
        // The store lists only a subject's first conversation: the subject's list shows one of two.
        TranscriptStoreConformanceException error = await Assert.ThrowsAsync<TranscriptStoreConformanceException>(
            () => TranscriptStoreConformance.RunAsync("list_and_export_a_subject", new Forgetful(1)));
        Assert.Equal("list_and_export_a_subject", error.Case);
        Assert.Equal(
            "Transcript store conformance case 'list_and_export_a_subject' failed: list.Select(c => c.ConversationId) is [\"morning\"], expected [\"morning\", \"evening\"]",
            error.Message);
    }

    [Fact]
    public async Task The_model_property_fails_a_store_that_loses_conversations_with_the_shortest_operation_list()
    {
        // The store lists only a subject's first two conversations: the shortest failing list is three appends to the
        // three conversations of one subject, and FsCheck shrinks any failing list to exactly that.
        TranscriptStoreConformanceException error = await Assert.ThrowsAsync<TranscriptStoreConformanceException>(
            () => TranscriptStoreConformance.RunAsync("random_operations_match_the_model", new Forgetful(2)));
        Assert.Equal("random_operations_match_the_model", error.Case);
        Assert.Contains("(3 after shrinking)", error.Message, StringComparison.Ordinal);
        string list = error.Message[(error.Message.IndexOf('[', StringComparison.Ordinal) + 1)..error.Message.IndexOf(']', StringComparison.Ordinal)];
        string[] steps = list.Split("; ");
        Assert.Equal(3, steps.Length);
        Assert.All(steps, s => Assert.StartsWith("append m", s, StringComparison.Ordinal));
        Assert.Single(steps.Select(s => s[..9]).Distinct(StringComparer.Ordinal));
        Assert.Equal(3, steps.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("is 2, expected 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Falsifiable", error.Message, StringComparison.Ordinal);
    }

    /// <summary>In-memory stores that list at most <c>keep</c> of a subject's conversations.</summary>
    private sealed class Forgetful(int keep) : ITranscriptStoreFactory
    {
        public ValueTask<ITranscriptStore> CreateAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ITranscriptStore>(new ForgetfulStore(new InMemoryTranscriptStore(), keep));

        public ValueTask<ITranscriptStore> ReopenAsync(ITranscriptStore store, CancellationToken cancellationToken = default) => ValueTask.FromResult(store);
    }

    private sealed class ForgetfulStore(ITranscriptStore inner, int keep) : DelegatingTranscriptStore(inner)
    {
        public override async ValueTask<IReadOnlyList<ConversationHead>> GetConversationsAsync(string tenant, string subject, CancellationToken cancellationToken = default) =>
            [.. (await Inner.GetConversationsAsync(tenant, subject, cancellationToken)).Take(keep)];
    }
}
