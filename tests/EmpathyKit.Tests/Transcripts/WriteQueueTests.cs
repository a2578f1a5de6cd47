using EmpathyKit.Tests.Infrastructure;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Tests.Transcripts;

/// <summary>The write queue's explicit policies: never silently lose an append.</summary>
public sealed class WriteQueueTests
{
    private static readonly TranscriptAddress Address = new("t", "s", "c");

    [Fact]
    public async Task A_full_queue_in_reject_mode_refuses_at_once_and_says_so()
    {
        var store = new GatedStore();
        await using var rig = new VaultRig(store, configure: o =>
        {
            o.QueueCapacity = 1;
            o.QueueFullMode = TranscriptQueueFullMode.Reject;
        });
        await rig.SayAsync(Address, "warm-up (creates keys)");
        store.Hold();
        try
        {
            TranscriptWriteReceipt first = await rig.Vault.AppendAsync(Address, [VaultRig.User("1", rig.Time.GetUtcNow())]);
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            TranscriptWriteReceipt second = await rig.Vault.AppendAsync(Address, [VaultRig.User("2", rig.Time.GetUtcNow())]);
            await Assert.ThrowsAsync<TranscriptQueueFullException>(() => rig.Vault.AppendAsync(Address, [VaultRig.User("3", rig.Time.GetUtcNow())]).AsTask());
            store.Gate.Set();
            await Task.WhenAll(first.Durable, second.Durable);
        }
        finally
        {
            store.Gate.Set();
        }

        Assert.Equal(["warm-up (creates keys)", "1", "2"], (await rig.Vault.ReadAsync(Address, 10)).Select(e => e.Text));
    }

    [Fact]
    public async Task A_full_queue_in_wait_mode_waits_then_refuses_after_the_timeout()
    {
        var store = new GatedStore();
        await using var rig = new VaultRig(store, configure: o =>
        {
            o.QueueCapacity = 1;
            o.QueueWaitTimeout = TimeSpan.FromMilliseconds(200);
        }, time: null);
        await rig.SayAsync(Address, "warm-up");
        store.Hold();
        try
        {
            _ = await rig.Vault.AppendAsync(Address, [VaultRig.User("1", rig.Time.GetUtcNow())]);
            await store.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            _ = await rig.Vault.AppendAsync(Address, [VaultRig.User("2", rig.Time.GetUtcNow())]);
            ValueTask<TranscriptWriteReceipt> waiting = rig.Vault.AppendAsync(Address, [VaultRig.User("3", rig.Time.GetUtcNow())]);
            await Assert.ThrowsAsync<TranscriptQueueFullException>(() => waiting.AsTask());
        }
        finally
        {
            store.Gate.Set();
        }

        await rig.Vault.FlushAsync();
    }

    [Fact]
    public async Task A_failing_store_is_retried_then_the_receipt_faults_with_its_error()
    {
        var store = new GatedStore();
        await using var rig = new VaultRig(store, configure: o => o.WriteRetries = 2);
        await rig.SayAsync(Address, "warm-up");
        store.Attempts = 0;
        store.FailAppends = 3;
        TranscriptWriteReceipt receipt = await rig.Vault.AppendAsync(Address, [VaultRig.User("lost?", rig.Time.GetUtcNow())]);
        await Assert.ThrowsAsync<IOException>(() => receipt.Durable);
        Assert.Equal(3, store.Attempts);

        store.FailAppends = 2;
        await rig.SayAsync(Address, "retried into place");
        Assert.Equal(["warm-up", "retried into place"], (await rig.Vault.ReadAsync(Address, 10)).Select(e => e.Text));
    }

    [Fact]
    public async Task A_full_or_read_only_store_fails_the_write_at_once_without_retries()
    {
        var store = new GatedStore();
        await using var rig = new VaultRig(store, configure: o => o.WriteRetries = 8);
        await rig.SayAsync(Address, "warm-up");
        store.Attempts = 0;
        store.FailAppends = 1;
        store.Failure = () => new TranscriptStorageException("The transcript database or its disk is full (SQLITE_FULL).", isTransient: false, new IOException("ENOSPC"));
        TranscriptWriteReceipt receipt = await rig.Vault.AppendAsync(Address, [VaultRig.User("not kept", rig.Time.GetUtcNow())]);
        TranscriptStorageException error = await Assert.ThrowsAsync<TranscriptStorageException>(() => receipt.Durable);
        Assert.False(error.IsTransient);
        Assert.Equal(1, store.Attempts);

        // A transient storage failure is still retried.
        store.FailAppends = 1;
        store.Failure = () => new TranscriptStorageException("locked", isTransient: true, new IOException("busy"));
        await rig.SayAsync(Address, "retried into place");
        Assert.Equal(["warm-up", "retried into place"], (await rig.Vault.ReadAsync(Address, 10)).Select(e => e.Text));
    }

    [Fact]
    public async Task Disposing_the_log_flushes_what_was_queued()
    {
        var store = new InMemoryTranscriptStore();
        var rig = new VaultRig(store);
        var receipts = new List<Task>();
        for (int i = 0; i < 500; i++)
        {
            receipts.Add((await rig.Vault.AppendAsync(new TranscriptAddress("t", $"s{i % 7}", $"c{i % 7}"), [VaultRig.User($"m{i}", rig.Time.GetUtcNow())])).Durable);
        }

        await rig.DisposeAsync();
        await Task.WhenAll(receipts);
        Assert.Equal(500, store.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => rig.Vault.AppendAsync(Address, [VaultRig.User("late", DateTimeOffset.UtcNow)]).AsTask());
    }

    [Fact]
    public async Task The_facade_can_wait_for_durability_and_reads_see_queued_writes()
    {
        using var host = new TestHost();
        SupportReply reply = await host.Chat.SendAsync("durable", "I had a rough day", new SupportTurnOptions { WaitForTranscript = true, SubjectId = "user-42" });
        Assert.True(reply.Report.TranscriptWritten);
        Assert.Equal(2, host.Store.Count);
        _ = await host.Chat.SendAsync("durable", "and it got worse", new SupportTurnOptions { SubjectId = "user-42" });
        IReadOnlyList<TranscriptEntry> read = await host.Transcripts.ReadAsync(new TranscriptAddress(TranscriptAddress.DefaultTenant, "user-42", "durable"), 10);
        Assert.Equal(4, read.Count);
        ITranscriptManager manager = host.Services.GetRequiredService<ITranscriptManager>();
        Assert.Equal(["durable"], (await manager.ListConversationsAsync(TranscriptAddress.DefaultTenant, "user-42")).Select(c => c.ConversationId));
    }

    /// <summary>An in-memory store whose appends can be held at a gate or made to fail.</summary>
    private sealed class GatedStore() : DelegatingTranscriptStore(new InMemoryTranscriptStore())
    {

        public ManualResetEventSlim Gate { get; } = new(true);

        public SemaphoreSlim Entered { get; } = new(0);

        public int FailAppends { get; set; }

        public Func<Exception> Failure { get; set; } = () => new IOException("disk unplugged");

        public int Attempts { get; set; }

        /// <summary>Closes the gate and forgets earlier entries, so the next append is the one that waits.</summary>
        public void Hold()
        {
            Gate.Reset();
            while (Entered.Wait(0))
            {
            }
        }

        public override async ValueTask AppendAsync(IReadOnlyList<TranscriptAppendBatch> batches, IAuditSealer sealer, CancellationToken cancellationToken = default)
        {
            Attempts++;
            Entered.Release();
            await Task.Run(() => Gate.Wait(cancellationToken), cancellationToken);
            if (FailAppends > 0)
            {
                FailAppends--;
                throw Failure();
            }

            await base.AppendAsync(batches, sealer, cancellationToken);
        }
    }
}
