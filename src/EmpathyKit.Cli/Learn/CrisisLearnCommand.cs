using System.CommandLine;
using System.Text;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// <c>empathykit learn crisis</c>: compiles the Suicide Risk Lexicon into the construct table and trains the fast crisis
/// risk model on the corpus's train split, writing both files the core package embeds.
/// </summary>
internal static class CrisisLearnCommand
{
    public static Command Create()
    {
        var train = new Option<DirectoryInfo>("--train") { Description = "The shared training material (../shared/train): the lexicon, counsel-chat, senticnet-stress, harmbench.", Required = true };
        var everyday = new Option<FileInfo>("--everyday") { Description = "GoEmotions' train.tsv: everyday comments (ambiguity of lexicon phrases; everyday negatives).", Required = true };
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "The project's crisis corpus (data/crisis): only its train split is learned from.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write crisis-constructs.txt and crisis-model.txt (the embedded ones are in src/EmpathyKit/Crisis/Data).", Required = true };
        var command = new Command("crisis", "Compile the construct table from the Suicide Risk Lexicon and train the fast crisis risk model.") { train, everyday, corpus, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DirectoryInfo trainDir = parseResult.GetValue(train)!;
            FileInfo everydayFile = parseResult.GetValue(everyday)!;
            DirectoryInfo corpusDir = parseResult.GetValue(corpus)!;
            DirectoryInfo outDir = parseResult.GetValue(output)!;
            string lexiconCsv = Path.Combine(trainDir.FullName, "crisis", "suicide-risk-lexicon", "suicide_risk_lexicon_validated_24-08-02T21-27-35.csv");
            foreach (string path in new[] { lexiconCsv, everydayFile.FullName })
            {
                if (!File.Exists(path))
                {
                    await Console.Error.WriteLineAsync($"empathykit learn crisis: '{path}' does not exist.");
                    return 2;
                }
            }

            if (!corpusDir.Exists || !outDir.Exists)
            {
                await Console.Error.WriteLineAsync($"empathykit learn crisis: '{(corpusDir.Exists ? outDir : corpusDir).FullName}' does not exist.");
                return 2;
            }

            List<string> everydayTexts = [.. Eval.GoEmotionsData.LoadTexts(everydayFile.FullName)];
            string table = ConstructLexiconCompiler.Compile(lexiconCsv, everydayTexts, out string lexiconReport);
            WriteAtomically(Path.Combine(outDir.FullName, "crisis-constructs.txt"), table);
            Console.Write(lexiconReport);

            string? modelReport = await CrisisModelTrainer.TrainAndWriteAsync(trainDir.FullName, everydayTexts, corpusDir.FullName, outDir.FullName, table, cancellationToken);
            if (modelReport is null)
            {
                return 2;
            }

            Console.Write(modelReport);
            return 0;
        });
        return command;
    }

    internal static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}
