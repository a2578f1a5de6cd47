using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using EmpathyKit.Transcripts;
using EmpathyKit.Transcripts.Storage;

namespace EmpathyKit.Testing;

/// <summary>
/// The conformance suite every <see cref="ITranscriptStore"/> passes, the built-in stores included: each case runs the
/// full transcript vault (encryption, chains, pseudonyms, the write queue) over fresh stores from your factory and
/// checks what a host would see. Run every case against your own store, from any test framework.
/// </summary>
/// <remarks>
/// <para>
/// A case that fails throws <see cref="TranscriptStoreConformanceException"/> naming the case and the property that did
/// not hold; an exception the store threw is its inner exception. No test framework is referenced: run the cases as one
/// parameterised test per name in <see cref="Cases"/> (a theory, a test case source, a data row), or all at once with
/// <see cref="RunAllAsync"/>.
/// </para>
/// <para>
/// Cases run on the thread pool and some run appenders in parallel, so the store sees concurrent calls, as in
/// production. Cases take from a few milliseconds to a few seconds each; the time-dependent ones use a clock of their
/// own, never the wall clock. Cases write key files and nothing else to a folder under <see cref="Path.GetTempPath"/>,
/// which they delete. <c>random_operations_match_the_model</c> is an FsCheck property: it runs generated operation lists
/// against the vault and a plain model, and on a failure reports the shortest failing list it found.
/// </para>
/// </remarks>
public static class TranscriptStoreConformance
{
    private static readonly Dictionary<string, Func<ITranscriptStoreFactory, CancellationToken, Task>> All = new(StringComparer.Ordinal)
    {
        ["append_and_read_round_trip"] = AppendAndReadRoundTripAsync,
        ["conversations_belong_to_their_subject"] = ConversationsBelongToTheirSubjectAsync,
        ["list_and_export_a_subject"] = ListAndExportAsync,
        ["erasure_crypto_shreds_one_subject_only"] = ErasureAsync,
        ["retention_purge_keeps_chains_valid"] = PurgeAsync,
        ["rotation_rewraps_without_reencrypting"] = RotationAsync,
        ["master_keys_roll_on_their_lifecycle"] = AutoRollAsync,
        ["revocation_rewraps_first"] = RevocationAsync,
        ["audit_log_chains_and_holds_no_content"] = AuditAsync,
        ["parallel_appenders_keep_one_chain"] = ParallelAppendersAsync,
        ["erasure_wins_over_racing_appends"] = AppendRacingEraseAsync,
        ["rotation_racing_appends_loses_nothing"] = RotationRacingAppendsAsync,
        ["a_second_host_shares_the_ring_and_chain"] = SecondHostAsync,
        ["random_operations_match_the_model"] = TranscriptModelWalk.RunAsync,
        ["history_windows_follow_the_chain"] = HistoryWindowsAsync,
    };

    /// <summary>Gets the names of the cases, in the order <see cref="RunAllAsync"/> runs them.</summary>
    public static IReadOnlyList<string> Cases { get; } = [.. All.Keys];

    /// <summary>Runs one case against stores from <paramref name="factory"/>.</summary>
    /// <param name="caseName">One of <see cref="Cases"/>.</param>
    /// <param name="factory">Makes the stores.</param>
    /// <param name="cancellationToken">Cancels the case: passed to the factory, and checked before the case and between the random operation lists.</param>
    /// <returns>A task that completes when the case has passed.</returns>
    /// <exception cref="ArgumentException"><paramref name="caseName"/> is not one of <see cref="Cases"/>.</exception>
    /// <exception cref="TranscriptStoreConformanceException">The store failed the case.</exception>
    public static async Task RunAsync(string caseName, ITranscriptStoreFactory factory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseName);
        ArgumentNullException.ThrowIfNull(factory);
        if (!All.TryGetValue(caseName, out Func<ITranscriptStoreFactory, CancellationToken, Task>? run))
        {
            throw new ArgumentException($"'{caseName}' is not a conformance case; the cases are {string.Join(", ", Cases)}.", nameof(caseName));
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // On the thread pool: no test framework's synchronization context is captured by the cases' awaits.
            await Task.Run(() => run(factory, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TranscriptStoreConformanceException(caseName, $"Transcript store conformance case '{caseName}' failed: {Expect.Describe(ex)}", ex);
        }
    }

    /// <summary>Runs every case in <see cref="Cases"/>, in order, stopping at the first that fails.</summary>
    /// <param name="factory">Makes the stores.</param>
    /// <param name="cancellationToken">Cancels the run (see <see cref="RunAsync"/>).</param>
    /// <returns>A task that completes when every case has passed.</returns>
    /// <exception cref="TranscriptStoreConformanceException">The store failed a case.</exception>
    public static async Task RunAllAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        foreach (string caseName in Cases)
        {
            await RunAsync(caseName, factory, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TranscriptAddress At(string subject, string conversation, string tenant = "clinic-a") => new(tenant, subject, conversation);

    private static async Task AppendAndReadRoundTripAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        TranscriptAddress address = At("user-1", "conv-1");
        DateTimeOffset now = rig.Time.GetUtcNow();
        await rig.AppendAsync(address, VaultRig.User("I can't sleep", now, RiskLevel.Low, CrisisCategory.Distress), VaultRig.Bot("That sounds exhausting.", now));
        await rig.AppendAsync(address, VaultRig.User("third", now.AddMinutes(1)));
        IReadOnlyList<TranscriptEntry> all = await rig.Vault.ReadAsync(address, 100);
        Expect.SequenceEqual(["I can't sleep", "That sounds exhausting.", "third"], all.Select(e => e.Text));
        Expect.SequenceEqual([TranscriptRole.User, TranscriptRole.Assistant, TranscriptRole.User], all.Select(e => e.Role));
        Expect.Equal(RiskLevel.Low, all[0].Risk);
        Expect.SequenceEqual([CrisisCategory.Distress], all[0].Categories);
        Expect.Equal(now, all[0].CreatedAt);
        Expect.SequenceEqual(["That sounds exhausting.", "third"], (await rig.Vault.ReadAsync(address, 2)).Select(e => e.Text));
        Expect.Empty(await rig.Vault.ReadAsync(At("user-1", "unknown"), 10));
        Expect.Empty(await rig.Vault.ReadAsync(address, 0));
        Expect.True((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
    }

    private static async Task ConversationsBelongToTheirSubjectAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        await rig.SayAsync(At("alice", "shared-id"), "alice's words");
        await Expect.ThrowsAsync<TranscriptAccessException>(() => rig.Vault.ReadAsync(At("mallory", "shared-id"), 10).AsTask());
        TranscriptWriteReceipt receipt = await rig.Vault.AppendAsync(At("mallory", "shared-id"), [VaultRig.User("mallory", rig.Time.GetUtcNow())]);
        await Expect.ThrowsAsync<TranscriptAccessException>(() => receipt.Durable);
        Expect.SequenceEqual(["alice's words"], (await rig.Vault.ReadAsync(At("alice", "shared-id"), 10)).Select(e => e.Text));

        // The same conversation id in another tenant is another conversation.
        await rig.SayAsync(At("alice", "shared-id", tenant: "clinic-b"), "other tenant");
        Expect.Single(await rig.Vault.ReadAsync(At("alice", "shared-id", tenant: "clinic-b"), 10));
    }

    private static async Task ListAndExportAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        await rig.SayAsync(At("user-2", "morning"), "canary-morning");
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.SayAsync(At("user-2", "evening"), "canary-evening");
        await rig.SayAsync(At("user-2", "evening"), "canary-evening-2");
        IReadOnlyList<TranscriptConversationInfo> list = await rig.Vault.ListConversationsAsync("clinic-a", "user-2", actor: "dpo@example");
        Expect.SequenceEqual(["morning", "evening"], list.Select(c => c.ConversationId));
        Expect.SequenceEqual([1L, 2L], list.Select(c => c.Records));
        Expect.All(list, c => Expect.StartsWith("c_", c.Pseudonym));

        byte[] json = await rig.Vault.ExportSubjectAsync("clinic-a", "user-2");
        using JsonDocument export = JsonDocument.Parse(json);
        Expect.Equal("empathykit-subject-export/1", export.RootElement.GetProperty("format").GetString());
        string text = Encoding.UTF8.GetString(json);
        Expect.Contains("canary-morning", text);
        Expect.Contains("canary-evening-2", text);

        using X509Certificate2 recipient = TestCertificates.Rsa("subject");
        byte[] envelope = await rig.Vault.ExportSubjectAsync("clinic-a", "user-2", recipient);
        Expect.DoesNotContain("canary", Encoding.Latin1.GetString(envelope));
        using JsonDocument opened = JsonDocument.Parse(TranscriptCms.Decrypt(envelope, recipient));
        Expect.Equal(2, opened.RootElement.GetProperty("conversations").GetArrayLength());
        using X509Certificate2 ec = TestCertificates.Ec("ec");
        await Expect.ThrowsAsync<ArgumentException>(() => rig.Vault.ExportSubjectAsync("clinic-a", "user-2", ec).AsTask());
    }

    private static async Task ErasureAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        await rig.SayAsync(At("erase-me", "a"), "canary one");
        await rig.SayAsync(At("erase-me", "b"), "canary two");
        await rig.SayAsync(At("keep-me", "c"), "kept");
        (string tenant, string subject, _) = await rig.Vault.PseudonymsAsync(At("erase-me", "a"));
        StoredSubjectKey before = (await rig.Store.GetSubjectKeyAsync(tenant, subject))!;

        ErasureCertificate certificate = await rig.Vault.EraseSubjectAsync("clinic-a", "erase-me", actor: "dpo");
        Expect.Equal(2, certificate.Conversations);
        Expect.Equal(2, certificate.Records);
        Expect.True(certificate.KeyDestroyed);
        Expect.Equal(subject, certificate.Subject);
        AuditEntry audit = (await rig.Vault.ReadAuditLogAsync(certificate.AuditSequence, 1)).Single();
        Expect.Equal(AuditKinds.Erase, audit.Kind);
        Expect.Contains(certificate.ErasureId.ToString("D"), audit.Detail);
        Expect.Equal(certificate.AuditHash, Convert.ToHexStringLower(audit.Hash.Span));

        Expect.Null(await rig.Store.GetSubjectKeyAsync(tenant, subject));
        Expect.Empty(await rig.Store.GetConversationsAsync(tenant, subject));
        Expect.Empty(await rig.Vault.ReadAsync(At("erase-me", "a"), 10));
        Expect.Empty(await rig.Vault.ListConversationsAsync("clinic-a", "erase-me"));
        Expect.SequenceEqual(["kept"], (await rig.Vault.ReadAsync(At("keep-me", "c"), 10)).Select(e => e.Text));
        using JsonDocument export = JsonDocument.Parse(await rig.Vault.ExportSubjectAsync("clinic-a", "erase-me"));
        Expect.Equal(0, export.RootElement.GetProperty("conversations").GetArrayLength());
        Expect.Equal(certificate.ErasureId.ToString("D"), export.RootElement.GetProperty("erasures")[0].GetProperty("erasureId").GetString());

        // A returning person starts afresh under a new data key.
        await rig.SayAsync(At("erase-me", "a"), "new start");
        Expect.NotEqual(before.KeyId, (await rig.Store.GetSubjectKeyAsync(tenant, subject))!.KeyId);
        Expect.SequenceEqual(["new start"], (await rig.Vault.ReadAsync(At("erase-me", "a"), 10)).Select(e => e.Text));
        Expect.True((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
        Expect.True((await rig.Vault.VerifyAuditLogAsync()).IsValid);
    }

    private static async Task PurgeAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken), configure: o => o.Retention = TimeSpan.FromDays(1));
        TranscriptAddress address = At("user-3", "conv");
        await rig.SayAsync(address, "old 1");
        await rig.SayAsync(address, "old 2");
        rig.Time.Advance(TimeSpan.FromHours(12));
        await rig.SayAsync(address, "new 1");
        await rig.SayAsync(address, "new 2");
        rig.Time.Advance(TimeSpan.FromHours(13));
        PurgeResult purged = await rig.Vault.PurgeExpiredAsync();
        Expect.Equal(new PurgeResult(1, 2), purged);
        Expect.SequenceEqual(["new 1", "new 2"], (await rig.Vault.ReadConversationAsync(address)).Select(e => e.Text));
        Expect.True((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
        await rig.SayAsync(address, "after purge");
        Expect.SequenceEqual(["new 1", "new 2", "after purge"], (await rig.Vault.ReadAsync(address, 10)).Select(e => e.Text));
        rig.Time.Advance(TimeSpan.FromDays(2));
        Expect.Equal(3, (await rig.Vault.PurgeExpiredAsync()).Records);
        Expect.Empty(await rig.Vault.ReadAsync(address, 10));
        Expect.Equal(new PurgeResult(0, 0), await rig.Vault.PurgeExpiredAsync());
        await rig.SayAsync(address, "continues");
        Expect.SequenceEqual(["continues"], (await rig.Vault.ReadAsync(address, 10)).Select(e => e.Text));
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync(decrypt: true);
        Expect.True(report.IsValid, string.Join("; ", report.Problems));
    }

    private static async Task RotationAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        for (int i = 0; i < 3; i++)
        {
            await rig.SayAsync(At($"rot-{i}", $"c{i}"), $"before rotation {i}");
        }

        (_, _, string conversation) = await rig.Vault.PseudonymsAsync(At("rot-0", "c0"));
        byte[] payloadBefore = (await rig.Store.ReadRecordsAsync(conversation, 0, 1))[0].Payload.ToArray();
        Guid first = (await rig.Vault.ListKeysAsync()).Single().Id;
        KeyRotationResult rotation = await rig.Vault.RotateKeysAsync();
        Expect.Equal(3, rotation.SubjectKeysRewrapped);
        IReadOnlyList<MasterKeyInfo> keys = await rig.Vault.ListKeysAsync();
        Expect.Equal(MasterKeyStatus.Expired, keys.Single(k => k.Id == first).Status);
        Expect.Equal(MasterKeyStatus.Active, keys.Single(k => k.Id == rotation.ActiveKeyId).Status);
        Expect.SequenceEqual(payloadBefore, (await rig.Store.ReadRecordsAsync(conversation, 0, 1))[0].Payload.ToArray());
        Expect.Empty(await rig.Store.GetSubjectKeysWrappedByAsync(first, 10));
        for (int i = 0; i < 3; i++)
        {
            Expect.SequenceEqual([$"before rotation {i}"], (await rig.Vault.ReadAsync(At($"rot-{i}", $"c{i}"), 10)).Select(e => e.Text));
        }

        // Once no host can still be using it, the retired key is destroyed; the data stays readable.
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.Vault.RotateKeysAsync();
        Expect.Equal(MasterKeyStatus.Destroyed, (await rig.Vault.ListKeysAsync()).Single(k => k.Id == first).Status);
        Expect.True((await rig.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
    }

    private static async Task AutoRollAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken), configure: o =>
        {
            o.MasterKeyLifetime = TimeSpan.FromDays(10);
            o.MasterKeyRollAhead = TimeSpan.FromDays(2);
            o.KeyRingRefreshInterval = TimeSpan.FromMinutes(1);
        });
        await rig.SayAsync(At("roll-1", "c1"), "day 0");
        MasterKeyInfo k1 = (await rig.Vault.ListKeysAsync()).Single();
        Expect.Equal(MasterKeyStatus.Active, k1.Status);
        rig.Time.Advance(TimeSpan.FromDays(8.5));
        await rig.SayAsync(At("roll-2", "c2"), "day 8.5");
        IReadOnlyList<MasterKeyInfo> keys = await rig.Vault.ListKeysAsync();
        MasterKeyInfo k2 = keys.Single(k => k.Id != k1.Id);
        Expect.Equal(MasterKeyStatus.Created, k2.Status);
        Expect.Equal(k1.ExpiresAt, k2.ActivatesAt);
        rig.Time.Advance(TimeSpan.FromDays(2));
        await rig.SayAsync(At("roll-3", "c3"), "day 10.5");
        keys = await rig.Vault.ListKeysAsync();
        Expect.Equal(MasterKeyStatus.Expired, keys.Single(k => k.Id == k1.Id).Status);
        Expect.Equal(MasterKeyStatus.Active, keys.Single(k => k.Id == k2.Id).Status);
        (string t, string s, _) = await rig.Vault.PseudonymsAsync(At("roll-3", "c3"));
        Expect.Equal(k2.Id, (await rig.Store.GetSubjectKeyAsync(t, s))!.MasterKeyId);
        Expect.SequenceEqual(["day 0"], (await rig.Vault.ReadAsync(At("roll-1", "c1"), 10)).Select(e => e.Text));
    }

    private static async Task RevocationAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        await rig.SayAsync(At("rev", "c"), "kept through revocation");
        Guid old = (await rig.Vault.ListKeysAsync()).Single().Id;
        await Expect.ThrowsAsync<InvalidOperationException>(() => rig.Vault.RevokeKeyAsync(old).AsTask());
        KeyRotationResult rotation = await rig.Vault.RotateKeysAsync();
        await rig.Vault.RevokeKeyAsync(old);
        Expect.Equal(MasterKeyStatus.Revoked, (await rig.Vault.ListKeysAsync()).Single(k => k.Id == old).Status);
        (string t, string s, _) = await rig.Vault.PseudonymsAsync(At("rev", "c"));
        Expect.Equal(rotation.ActiveKeyId, (await rig.Store.GetSubjectKeyAsync(t, s))!.MasterKeyId);

        // A fresh process (no cached keys) still reads everything.
        await using var fresh = new VaultRig(await factory.ReopenAsync(rig.Store, cancellationToken), rig.RootKeyPath, time: rig.Time);
        Expect.SequenceEqual(["kept through revocation"], (await fresh.Vault.ReadAsync(At("rev", "c"), 10)).Select(e => e.Text));
    }

    private static async Task AuditAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        await rig.SayAsync(At("audit-subject-raw-id", "audit-conversation-raw-id"), "audit canary text");
        _ = await rig.Vault.ReadConversationAsync(At("audit-subject-raw-id", "audit-conversation-raw-id"), actor: "nurse-7");
        _ = await rig.Vault.ExportSubjectAsync("clinic-a", "audit-subject-raw-id");
        _ = await rig.Vault.EraseSubjectAsync("clinic-a", "audit-subject-raw-id");
        IReadOnlyList<AuditEntry> log = await rig.Vault.ReadAuditLogAsync(0, 1_000);
        string[] kinds = [.. log.Select(e => e.Kind)];
        Expect.Contains(AuditKinds.KeyCreated, kinds);
        Expect.Contains(AuditKinds.Append, kinds);
        Expect.Contains(AuditKinds.Read, kinds);
        Expect.Contains(AuditKinds.Export, kinds);
        Expect.Contains(AuditKinds.Erase, kinds);
        Expect.SequenceEqual(Enumerable.Range(0, log.Count).Select(i => (long)i), log.Select(e => e.Sequence));
        Expect.Equal("nurse-7", log.Single(e => e.Kind == AuditKinds.Read).Actor);
        string everything = string.Join('\n', log.Select(e => $"{e.Kind} {e.Actor} {e.Tenant} {e.Subject} {e.Conversation} {e.Detail}"));
        Expect.DoesNotContain("canary", everything);
        Expect.DoesNotContain("raw-id", everything);
        Expect.DoesNotContain("clinic-a", everything);
        Expect.True((await rig.Vault.VerifyAuditLogAsync()).IsValid);
    }

    private static async Task ParallelAppendersAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        const int Writers = 8;
        const int Each = 25;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var receipts = new List<Task>();
            for (int i = 0; i < Each; i++)
            {
                receipts.Add((await rig.Vault.AppendAsync(At("busy", "one"), [VaultRig.User($"w{w}-{i}", rig.Time.GetUtcNow())])).Durable);
                receipts.Add((await rig.Vault.AppendAsync(At($"own-{w}", $"mine-{w}"), [VaultRig.User($"m{i}", rig.Time.GetUtcNow())])).Durable);
            }

            await Task.WhenAll(receipts);
        })));
        IReadOnlyList<TranscriptEntry> shared = await rig.Vault.ReadConversationAsync(At("busy", "one"));
        Expect.Equal(Writers * Each, shared.Count);
        for (int w = 0; w < Writers; w++)
        {
            // Each writer's own appends keep their order.
            List<string> mine = [.. shared.Select(e => e.Text).Where(t => t.StartsWith($"w{w}-"))];
            Expect.SequenceEqual(Enumerable.Range(0, Each).Select(i => $"w{w}-{i}"), mine);
            Expect.SequenceEqual(Enumerable.Range(0, Each).Select(i => $"m{i}"), (await rig.Vault.ReadAsync(At($"own-{w}", $"mine-{w}"), 100)).Select(e => e.Text));
        }

        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync(decrypt: true);
        Expect.True(report.IsValid, string.Join("; ", report.Problems));
        Expect.Equal(Writers + 1, report.ChainsChecked);
    }

    private static async Task AppendRacingEraseAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        TranscriptAddress address = At("racer", "c");
        await rig.SayAsync(address, "first");
        (string t, string s, string conversation) = await rig.Vault.PseudonymsAsync(address);
        Guid oldKey = (await rig.Store.GetSubjectKeyAsync(t, s))!.KeyId;
        var outcomes = new ConcurrentBag<string>();
        Task appends = Task.Run(async () =>
        {
            var receipts = new List<Task>();
            for (int i = 0; i < 200; i++)
            {
                receipts.Add((await rig.Vault.AppendAsync(address, [VaultRig.User($"racing {i}", rig.Time.GetUtcNow())])).Durable);
            }

            foreach (Task receipt in receipts)
            {
                try
                {
                    await receipt;
                    outcomes.Add("written");
                }
                catch (TranscriptAccessException)
                {
                    outcomes.Add("refused");
                }
            }
        });
        await Task.Delay(1);
        ErasureCertificate certificate = await rig.Vault.EraseSubjectAsync("clinic-a", "racer");
        await appends;
        Expect.Equal(200, outcomes.Count);

        // Nothing sealed under the erased key survives; whatever exists now is under a new key and reads.
        foreach (StoredRecord record in await rig.Store.ReadRecordsAsync(conversation, 0, 1_000))
        {
            Expect.NotEqual(oldKey, TranscriptRecordFormat.ReadSubjectKeyId(record.Payload.Span));
        }

        StoredSubjectKey? now = await rig.Store.GetSubjectKeyAsync(t, s);
        Expect.True(now is null || now.KeyId != oldKey);
        Expect.True(certificate.Records >= 1);
        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync(decrypt: true);
        Expect.True(report.IsValid, string.Join("; ", report.Problems));
    }

    private static async Task RotationRacingAppendsAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        Task appends = Task.Run(async () =>
        {
            var receipts = new List<Task>();
            for (int i = 0; i < 300; i++)
            {
                receipts.Add((await rig.Vault.AppendAsync(At($"s{i % 20}", $"c{i % 20}"), [VaultRig.User($"m{i}", rig.Time.GetUtcNow())])).Durable);
            }

            await Task.WhenAll(receipts);
        });
        for (int r = 0; r < 3; r++)
        {
            await rig.Vault.RotateKeysAsync();
            rig.Time.Advance(TimeSpan.FromHours(1));
        }

        await appends;
        await rig.Vault.RotateKeysAsync();
        int total = 0;
        for (int i = 0; i < 20; i++)
        {
            total += (await rig.Vault.ReadConversationAsync(At($"s{i}", $"c{i}"))).Count;
        }

        Expect.Equal(300, total);

        // A fresh process reads everything too (no key was destroyed while a subject key still needed it).
        await using var fresh = new VaultRig(await factory.ReopenAsync(rig.Store, cancellationToken), rig.RootKeyPath, time: rig.Time);
        IntegrityReport report = await fresh.Vault.VerifyIntegrityAsync(decrypt: true);
        Expect.True(report.IsValid, string.Join("; ", report.Problems));
        Expect.Equal(300, report.RecordsChecked);
    }

    private static async Task SecondHostAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        await using var one = new VaultRig(await factory.CreateAsync(cancellationToken));
        await one.SayAsync(At("multi", "c"), "from host one");
        await using var two = new VaultRig(await factory.ReopenAsync(one.Store, cancellationToken), one.RootKeyPath, time: one.Time);
        Expect.SequenceEqual(["from host one"], (await two.Vault.ReadAsync(At("multi", "c"), 10)).Select(e => e.Text));
        await two.SayAsync(At("multi", "c"), "from host two");
        await one.SayAsync(At("multi", "c"), "host one again");
        Expect.SequenceEqual(["from host one", "from host two", "host one again"], (await one.Vault.ReadAsync(At("multi", "c"), 10)).Select(e => e.Text));
        Expect.Single(await two.Vault.ListKeysAsync());
        Expect.True((await two.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
        Expect.True((await one.Vault.VerifyAuditLogAsync()).IsValid);
    }

    private static async Task HistoryWindowsAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        // Host one reads before every step, so each read can be served from its cached window; the truth is the
        // conversation read in full from the store.
        await using var one = new VaultRig(await factory.CreateAsync(cancellationToken), configure: o => o.Retention = TimeSpan.FromDays(1));
        await using var two = new VaultRig(await factory.ReopenAsync(one.Store, cancellationToken), one.RootKeyPath, o => o.Retention = TimeSpan.FromDays(1), one.Time);
        TranscriptAddress address = At("windows", "w");

        async Task Agrees(int max, params string[] expected)
        {
            Expect.SequenceEqual(expected, (await one.Vault.ReadAsync(address, max)).Select(e => e.Text));
            Expect.SequenceEqual(expected, (await one.Vault.ReadConversationAsync(address)).Select(e => e.Text).TakeLast(max));
        }

        await Agrees(4);
        await one.SayAsync(address, "a");
        await one.SayAsync(address, "b");
        await Agrees(4, "a", "b");
        await Agrees(4, "a", "b");

        // Another host's appends are read, and only they are new.
        await two.SayAsync(address, "c");
        await one.SayAsync(address, "d");
        await two.SayAsync(address, "e");
        await Agrees(4, "b", "c", "d", "e");
        await Agrees(2, "d", "e");
        await Agrees(5, "a", "b", "c", "d", "e");

        // Retention: what the purge removed is never served from the window.
        one.Time.Advance(TimeSpan.FromHours(12));
        await one.SayAsync(address, "f");
        await Agrees(10, "a", "b", "c", "d", "e", "f");
        one.Time.Advance(TimeSpan.FromHours(13));
        Expect.Equal(5, (await two.Vault.PurgeExpiredAsync()).Records);
        await Agrees(10, "f");

        // Erased by another host and started again with as many records: the new chain is read, not the window.
        await Agrees(10, "f");
        await two.Vault.EraseSubjectAsync(address.Tenant, address.Subject);
        Expect.Empty(await one.Vault.ReadAsync(address, 10));

        // Host one still holds the erased data key: a message received after the erasure is sealed under the new one.
        one.Time.Advance(TimeSpan.FromSeconds(1));
        await one.SayAsync(address, "before");
        await Agrees(10, "before");
        await two.Vault.EraseSubjectAsync(address.Tenant, address.Subject);
        one.Time.Advance(TimeSpan.FromSeconds(1));
        await two.SayAsync(address, "after");
        await Agrees(10, "after");

        // Erased by this host: nothing is served, and the next conversation starts clean.
        await one.Vault.EraseSubjectAsync(address.Tenant, address.Subject);
        Expect.Empty(await one.Vault.ReadAsync(address, 10));
        one.Time.Advance(TimeSpan.FromSeconds(1));
        await one.SayAsync(address, "fresh");
        await Agrees(10, "fresh");
        Expect.True((await one.Vault.VerifyIntegrityAsync(decrypt: true)).IsValid);
    }
}
