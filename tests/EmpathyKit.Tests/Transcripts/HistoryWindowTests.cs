using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// The vault's history windows (issue 15): a turn decrypts only what was written since the conversation was last read,
/// and what it serves is always what the store holds. The behaviour on every store is in the conformance suite
/// (<c>history_windows_follow_the_chain</c>); these count what is read.
/// </summary>
public sealed class HistoryWindowTests
{
    private static readonly TranscriptAddress Address = new("clinic-a", "subject", "conversation");

    [Fact]
    public async Task A_warm_read_fetches_only_the_records_written_since()
    {
        var store = new CountingStore();
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 30; i++)
        {
            await rig.SayAsync(Address, $"m{i}");
        }

        Assert.Equal(30, (await rig.Vault.ReadAsync(Address, 40)).Count);
        Assert.Equal(30, store.RecordsRead);
        await rig.SayAsync(Address, "m30");
        await rig.SayAsync(Address, "m31");
        store.RecordsRead = 0;
        IReadOnlyList<TranscriptEntry> read = await rig.Vault.ReadAsync(Address, 40);
        Assert.Equal(2, store.RecordsRead);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"m{i}"), read.Select(e => e.Text));

        store.RecordsRead = 0;
        Assert.Equal(Enumerable.Range(22, 10).Select(i => $"m{i}"), (await rig.Vault.ReadAsync(Address, 10)).Select(e => e.Text));
        Assert.Equal(0, store.RecordsRead);
    }

    [Fact]
    public async Task Turned_off_every_read_goes_to_the_store()
    {
        var store = new CountingStore();
        await using var rig = new VaultRig(store, configure: o => o.HistoryCacheConversations = 0);
        await rig.SayAsync(Address, "one");
        await rig.SayAsync(Address, "two");
        _ = await rig.Vault.ReadAsync(Address, 40);
        _ = await rig.Vault.ReadAsync(Address, 40);
        Assert.Equal(4, store.RecordsRead);
    }

    [Fact]
    public async Task The_number_of_windows_is_bounded()
    {
        await using var rig = new VaultRig(new CountingStore(), configure: o => o.HistoryCacheConversations = 20);
        for (int i = 0; i < 60; i++)
        {
            TranscriptAddress address = new("clinic-a", "subject", $"c{i}");
            await rig.SayAsync(address, "hello");
            Assert.Equal(["hello"], (await rig.Vault.ReadAsync(address, 40)).Select(e => e.Text));
        }

        Assert.InRange(rig.Vault.HistoryWindows.Count, 1, 20);
    }

    [Fact]
    public async Task A_deep_turn_redacts_only_the_new_message()
    {
        var detector = new CountingDetector();
        using var host = new TestHost(configure: b => b.UsePiiDetector(_ => detector));
        var turn = new SupportTurnOptions { WaitForTranscript = true };
        for (int i = 0; i < 10; i++)
        {
            _ = await host.Chat.SendAsync("deep", $"My name is Sarah Jones and this is message {i}", turn);
        }

        detector.Calls = 0;
        SupportReply reply = await host.Chat.SendAsync("deep", "and one more thing", turn);
        Assert.True(reply.Report.TranscriptWritten);
        Assert.Equal(1, detector.Calls);

        // What the model was shown of the history is the stored, redacted form: no name.
        IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> seen = host.Provider.Requests[^1];
        Assert.Contains(seen, m => m.Text.Contains("[PERSON_1]", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, m => m.Text.Contains("Sarah", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Originals_kept_by_the_host_are_redacted_when_read_back()
    {
        var detector = new CountingDetector();
        using var host = new TestHost(configure: b => b.UsePiiDetector(_ => detector), options: o => o.StoreOriginalText = true);
        var turn = new SupportTurnOptions { WaitForTranscript = true };
        _ = await host.Chat.SendAsync("kept", "My name is Sarah Jones", turn);
        detector.Calls = 0;
        _ = await host.Chat.SendAsync("kept", "and one more thing", turn);
        Assert.True(detector.Calls >= 2, $"history was not redacted again ({detector.Calls} calls)");
        Assert.DoesNotContain(host.Provider.Requests[^1], m => m.Text.Contains("Sarah", StringComparison.Ordinal));
    }

    private sealed class CountingStore() : DelegatingTranscriptStore(new InMemoryTranscriptStore())
    {
        public int RecordsRead { get; set; }

        public override async ValueTask<IReadOnlyList<StoredRecord>> ReadRecordsAsync(string conversation, long fromSequence, int maxRecords, CancellationToken cancellationToken = default)
        {
            IReadOnlyList<StoredRecord> records = await base.ReadRecordsAsync(conversation, fromSequence, maxRecords, cancellationToken);
            RecordsRead += records.Count;
            return records;
        }
    }

    private sealed class CountingDetector : IPiiDetector
    {
        private readonly IPiiDetector _inner = EmpathyKit.Pii.RecognizerPiiDetector.CreateDefault();

        public int Calls { get; set; }

        public ValueTask<IReadOnlyList<PiiEntity>> DetectAsync(string text, CancellationToken cancellationToken = default)
        {
            Calls++;
            return _inner.DetectAsync(text, cancellationToken);
        }
    }
}
