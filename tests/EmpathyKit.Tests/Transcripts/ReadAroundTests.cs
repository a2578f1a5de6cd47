namespace EmpathyKit.Tests.Transcripts;

/// <summary>
/// Reading a conversation's history around records that cannot be read (issue 15): each record is sealed on its own,
/// so one damaged or missing record costs only itself. The strict read still refuses.
/// </summary>
public sealed class ReadAroundTests
{
    private static readonly TranscriptAddress Address = new("clinic-a", "subject", "conversation");

    public static TheoryData<string, long, int, string[]> Damage => new()
    {
        { "payload", 2, 1, ["m0", "m1", "m3", "m4"] },
        { "payload", 0, 1, ["m1", "m2", "m3", "m4"] },
        { "payload", 4, 1, ["m0", "m1", "m2", "m3"] },
        { "removed", 2, 1, ["m0", "m1", "m3", "m4"] },
        { "removed", 4, 1, ["m0", "m1", "m2", "m3"] },
        { "link", 3, 1, ["m0", "m1", "m2", "m4"] },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task One_bad_record_costs_only_itself(string kind, long sequence, int unreadable, string[] expected)
    {
        var store = new InMemoryTranscriptStore();
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 5; i++)
        {
            await rig.SayAsync(Address, $"m{i}");
        }

        string conversation = (await store.ListConversationsAsync(null, 10)).Single();
        store.Tamper(conversation, sequence, r => kind switch
        {
            "removed" => null,
            "link" => r with { PreviousHash = new byte[32] },
            _ => r with { Payload = Flip(r.Payload) },
        });

        TranscriptHistory history = await ((ITranscriptLog)rig.Vault).ReadHistoryAsync(Address, 40);
        Assert.Equal(unreadable, history.UnreadableRecords);
        Assert.Equal(expected, history.Entries.Select(e => e.Text));
        await Assert.ThrowsAsync<TranscriptIntegrityException>(async () => await rig.Vault.ReadAsync(Address, 40));

        // The conversation goes on: what is written after the damage is read, and the damage is still counted.
        await rig.SayAsync(Address, "after");
        TranscriptHistory later = await ((ITranscriptLog)rig.Vault).ReadHistoryAsync(Address, 40);
        Assert.Equal([.. expected, "after"], later.Entries.Select(e => e.Text));
        Assert.Equal(unreadable, later.UnreadableRecords);
        Assert.False((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
    }

    [Fact]
    public async Task A_damaged_record_outside_the_window_is_not_counted()
    {
        var store = new InMemoryTranscriptStore();
        await using var rig = new VaultRig(store);
        for (int i = 0; i < 6; i++)
        {
            await rig.SayAsync(Address, $"m{i}");
        }

        string conversation = (await store.ListConversationsAsync(null, 10)).Single();
        store.Tamper(conversation, 0, r => r with { Payload = Flip(r.Payload) });
        TranscriptHistory history = await ((ITranscriptLog)rig.Vault).ReadHistoryAsync(Address, 3);
        Assert.Equal(0, history.UnreadableRecords);
        Assert.Equal(["m3", "m4", "m5"], history.Entries.Select(e => e.Text));
    }

    private static byte[] Flip(ReadOnlyMemory<byte> payload)
    {
        byte[] copy = payload.ToArray();
        copy[^1] ^= 1;
        return copy;
    }
}
