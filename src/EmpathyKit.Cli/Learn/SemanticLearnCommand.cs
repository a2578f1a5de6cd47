using System.CommandLine;
using EmpathyKit.Semantic;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// <c>empathykit learn crisis-semantic</c>: trains the semantic crisis model (two heads over sentence embeddings) on the corpus's train split plus everyday negatives, chooses its thresholds on development data, and
/// writes the file that EmpathyKit.Semantic embeds.
/// </summary>
internal static class SemanticLearnCommand
{
    public static Command Create()
    {
        var train = new Option<DirectoryInfo>("--train") { Description = "The shared training material (../shared/train): counsel-chat, senticnet-stress, harmbench; crisis-dev and XSTest beside it in ../eval are development data.", Required = true };
        var everyday = new Option<FileInfo>("--everyday") { Description = "GoEmotions' train.tsv: everyday comments (negatives; every 8th is used).", Required = true };
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "The project's crisis corpus (data/crisis): its train split is learned from, its dev split chooses the thresholds; test and heldout are never read.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write semantic-crisis-model.txt (the embedded one is in src/EmpathyKit.Semantic/Data).", Required = true };
        var cache = new Option<FileInfo?>("--cache") { Description = "Optional: a file of embeddings (keyed by a hash of each text, no text kept) reused across runs; the result is the same with or without it." };
        var encoderEpochs = new Option<int[]>("--encoder-epochs") { Description = "Fine-tune the encoder's top layer and compare, on dev, the packaged encoder with the tuned one after each of these epochs (default 3 4 5, which with --encoder-layers 2 gives the shipped model; give 0 to keep the packaged encoder without trying).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [3, 4, 5] };
        var encoderLayers = new Option<int>("--encoder-layers") { Description = "How many of the encoder's top layers the fine-tuning trains (1 to 6; default 2, which gives the shipped model).", DefaultValueFactory = _ => 2 };
        var hardNegativeWeight = new Option<double>("--hard-negative-weight") { Description = "The training weight of the corpus's hard negatives (cases with a 'negative' kind: everyday chat, idioms, homonyms, fiction, research, news, negations, resolved pasts, means questions, helpers); 1 to 8, default 1, which gives the shipped model.", DefaultValueFactory = _ => 1.0 };
        var ensemble = new Option<int>("--ensemble") { Description = "Also fit the hidden-layer heads from this many seeds and average their log-odds (1 to 8; default 1, which gives the shipped model); dev chooses between one network and the ensemble.", DefaultValueFactory = _ => 1 };
        var patch = new Option<FileInfo?>("--encoder-patch") { Description = "Optional: fit the heads over an encoder patch from an earlier run (e.g. src/EmpathyKit.Semantic/Data/semantic-encoder-patch.bin) instead of fine-tuning, to compare head settings quickly; the packaged encoder is still compared." };
        var command = new Command("crisis-semantic", "Train the semantic crisis model (logistic heads, or heads over a hidden layer, over all-MiniLM-L6-v2 embeddings, its top layer optionally fine-tuned) and choose its shape, encoder and thresholds on dev.") { train, everyday, corpus, output, cache, encoderEpochs, encoderLayers, hardNegativeWeight, ensemble, patch };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DirectoryInfo trainDir = parseResult.GetValue(train)!;
            FileInfo everydayFile = parseResult.GetValue(everyday)!;
            DirectoryInfo corpusDir = parseResult.GetValue(corpus)!;
            DirectoryInfo outDir = parseResult.GetValue(output)!;
            if (!everydayFile.Exists)
            {
                await Console.Error.WriteLineAsync($"empathykit learn crisis-semantic: '{everydayFile.FullName}' does not exist.");
                return 2;
            }

            if (!string.Equals(everydayFile.Name, "train.tsv", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("empathykit learn crisis-semantic: --everyday takes GoEmotions' train split; dev and test are for measuring.");
                return 2;
            }

            foreach (DirectoryInfo dir in new[] { trainDir, corpusDir, outDir })
            {
                if (!dir.Exists)
                {
                    await Console.Error.WriteLineAsync($"empathykit learn crisis-semantic: '{dir.FullName}' does not exist.");
                    return 2;
                }
            }

            int[] epochs = [.. parseResult.GetValue(encoderEpochs)!.Where(e => e != 0).Order().Distinct()];
            if (epochs.Any(e => e < 0 || e > 20))
            {
                await Console.Error.WriteLineAsync("empathykit learn crisis-semantic: --encoder-epochs takes epochs from 1 to 20 (or 0: none).");
                return 2;
            }

            int layers = parseResult.GetValue(encoderLayers);
            if (layers is < 1 or > 6)
            {
                await Console.Error.WriteLineAsync("empathykit learn crisis-semantic: --encoder-layers takes 1 to 6 (all-MiniLM-L6-v2 has six layers).");
                return 2;
            }

            double negativeWeight = parseResult.GetValue(hardNegativeWeight);
            if (!(negativeWeight is >= 1 and <= 8))
            {
                await Console.Error.WriteLineAsync("empathykit learn crisis-semantic: --hard-negative-weight takes 1 to 8.");
                return 2;
            }

            int members = parseResult.GetValue(ensemble);
            if (members is < 1 or > SemanticCrisisModel.MaxHidden / 64)
            {
                await Console.Error.WriteLineAsync("empathykit learn crisis-semantic: --ensemble takes 1 to 8.");
                return 2;
            }

            FileInfo? patchFile = parseResult.GetValue(patch);
            if (patchFile is { Exists: false })
            {
                await Console.Error.WriteLineAsync($"empathykit learn crisis-semantic: '{patchFile.FullName}' does not exist.");
                return 2;
            }

            string report = await SemanticCrisisTrainer.TrainAndWriteAsync(trainDir.FullName, everydayFile.FullName, corpusDir.FullName, outDir.FullName, parseResult.GetValue(cache)?.FullName, epochs, layers, negativeWeight, members, patchFile?.FullName, Console.Error, cancellationToken);
            Console.Write(report);
            return 0;
        });
        return command;
    }
}
