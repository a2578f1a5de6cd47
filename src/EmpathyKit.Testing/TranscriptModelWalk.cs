using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace EmpathyKit.Testing;

/// <summary>
/// The model-based property of the conformance suite: generated lists of appends, erasures and reads over four subjects
/// of three conversations each run against the vault over a fresh store, and every read, every subject's conversation
/// count and the store's integrity are compared with a plain model (a list of texts per conversation). On a failure
/// FsCheck shrinks the list, and the case reports the shortest failing list it found.
/// </summary>
internal static class TranscriptModelWalk
{
    private const int Subjects = 4;
    private const int ConversationsPerSubject = 3;
    private const string Tenant = "clinic-a";

    /// <summary>How many lists are run when nothing fails (each over a fresh store).</summary>
    private const int Lists = 20;

    /// <summary>The longest generated list (the sizes grow from 1 to this over the run).</summary>
    private const int LongestList = 120;

    /// <summary>Appends, erasures and reads in the proportions 6:1:3.</summary>
    private static readonly Gen<Step> Steps = Gen.Frequency(
        (6, Gen.Zip(Gen.Choose(0, Subjects - 1), Gen.Choose(0, ConversationsPerSubject - 1)).Select(p => new Step(StepKind.Append, p.Item1, p.Item2, 0))),
        (1, Gen.Choose(0, Subjects - 1).Select(s => new Step(StepKind.Erase, s, 0, 0))),
        (3, Gen.Zip(Gen.Zip(Gen.Choose(0, Subjects - 1), Gen.Choose(0, ConversationsPerSubject - 1)), Gen.Choose(1, 5))
            .Select(p => new Step(StepKind.Read, p.Item1.Item1, p.Item1.Item2, p.Item2))));

    internal enum StepKind
    {
        Append,
        Erase,
        Read,
    }

    public static Task RunAsync(ITranscriptStoreFactory factory, CancellationToken cancellationToken)
    {
        Step[]? failedList = null;
        Exception? failure = null;
        Property property = Prop.ForAll(Arb.Array(Arb.From(Steps, Shrink)), (Step[] list) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // The property runs on a thread-pool thread (see TranscriptStoreConformance.RunAsync): blocking is safe.
                RunListAsync(factory, list, cancellationToken).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // FsCheck runs the shrunk candidates after the first failure: the last list that fails is the shortest.
                failedList = list;
                failure = ex;
                throw;
            }
        });

        Config config = Config.QuickThrowOnFailure.WithMaxTest(Lists).WithEndSize(LongestList).WithQuietOnSuccess(true);
        if (Replay() is { } replay)
        {
            config = config.WithReplay(FSharpOption<FsCheck.Replay>.Some(replay));
        }

        try
        {
            Check.One(config, property);
        }
        catch (Exception ex) when (failure is not null && !cancellationToken.IsCancellationRequested)
        {
            string seed = ex.Message.Split('\n').FirstOrDefault(l => l.Contains("Falsifiable", StringComparison.Ordinal))?.Trim() ?? string.Empty;
            throw new ExpectationFailedException(
                $"after the operations [{string.Join("; ", failedList!)}] ({failedList!.Length} after shrinking), {Expect.Describe(failure)}. FsCheck: {seed} " +
                "(set EMPATHYKIT_REPLAY=seed,gamma from it to run the same lists again)",
                failure);
        }

        return Task.CompletedTask;
    }

    private static async Task RunListAsync(ITranscriptStoreFactory factory, Step[] list, CancellationToken cancellationToken)
    {
        await using var rig = new VaultRig(await factory.CreateAsync(cancellationToken));
        var model = new Dictionary<(int Subject, int Conversation), List<string>>();
        for (int i = 0; i < list.Length; i++)
        {
            try
            {
                await RunStepAsync(rig, model, list[i], $"t{i}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new ExpectationFailedException($"at operation {i + 1} ({list[i]}): {Expect.Describe(ex)}", ex);
            }
        }

        for (int subject = 0; subject < Subjects; subject++)
        {
            int expectedConversations = model.Keys.Count(k => k.Subject == subject);
            Expect.Equal(expectedConversations, (await rig.Vault.ListConversationsAsync(Tenant, SubjectId(subject))).Count, $"at the end, the number of m{subject}'s conversations");
        }

        IntegrityReport report = await rig.Vault.VerifyIntegrityAsync(decrypt: true);
        Expect.True(report.IsValid, string.Join("; ", report.Problems), "at the end, the store's integrity report IsValid");
    }

    private static async Task RunStepAsync(VaultRig rig, Dictionary<(int Subject, int Conversation), List<string>> model, Step step, string text)
    {
        TranscriptAddress address = new(Tenant, SubjectId(step.Subject), $"m{step.Subject}-c{step.Conversation}");
        switch (step.Kind)
        {
            case StepKind.Append:
                await rig.SayAsync(address, text);
                (model.TryGetValue((step.Subject, step.Conversation), out List<string>? texts) ? texts : model[(step.Subject, step.Conversation)] = []).Add(text);
                break;
            case StepKind.Erase:
                await rig.Vault.EraseSubjectAsync(Tenant, SubjectId(step.Subject));
                foreach ((int, int) key in model.Keys.Where(k => k.Subject == step.Subject).ToList())
                {
                    model.Remove(key);
                }

                break;
            default:
                List<string> expected = model.TryGetValue((step.Subject, step.Conversation), out List<string>? entries) ? [.. entries.TakeLast(step.Max)] : [];
                Expect.SequenceEqual(expected, (await rig.Vault.ReadAsync(address, step.Max)).Select(e => e.Text), "the texts read");
                break;
        }
    }

    private static string SubjectId(int subject) => $"m{subject}";

    /// <summary>Simpler steps: the same step on subject 0, on conversation 0, or reading one entry.</summary>
    private static IEnumerable<Step> Shrink(Step step)
    {
        if (step.Subject > 0)
        {
            yield return step with { Subject = 0 };
        }

        if (step.Conversation > 0)
        {
            yield return step with { Conversation = 0 };
        }

        if (step.Max > 1)
        {
            yield return step with { Max = 1 };
        }
    }

    /// <summary>The seed FsCheck printed for a failed run, from <c>EMPATHYKIT_REPLAY</c> ("seed,gamma"), if set.</summary>
    private static FsCheck.Replay? Replay()
    {
        string? value = Environment.GetEnvironmentVariable("EMPATHYKIT_REPLAY");
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string[] parts = value.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
        return new FsCheck.Replay(new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture)), FSharpOption<int>.None);
    }

    /// <summary>One operation of a generated list.</summary>
    /// <param name="Kind">Append a message, erase the subject, or read the conversation's last <paramref name="Max"/> entries.</param>
    /// <param name="Subject">The subject (0 to 3).</param>
    /// <param name="Conversation">The subject's conversation (0 to 2); unused by an erasure.</param>
    /// <param name="Max">How many entries a read asks for (1 to 5).</param>
    internal readonly record struct Step(StepKind Kind, int Subject, int Conversation, int Max)
    {
        public override string ToString() => Kind switch
        {
            StepKind.Append => $"append m{Subject}/c{Conversation}",
            StepKind.Erase => $"erase m{Subject}",
            _ => $"read m{Subject}/c{Conversation} last {Max}",
        };
    }
}
