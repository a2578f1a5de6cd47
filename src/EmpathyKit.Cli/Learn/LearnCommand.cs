using System.CommandLine;
using System.Text;

namespace EmpathyKit.Cli.Learn;

/// <summary><c>empathykit learn emotions</c>: rebuilds the analyzer's learned emotion layer from GoEmotions' train split.</summary>
internal static class LearnCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data", "-d") { Description = "GoEmotions' train.tsv (emotions.txt and ekman_mapping.json beside it). Never the dev split: that is what eval measures on.", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the model (the embedded one is src/EmpathyKit/Sentiment/emotion-model.txt).", Required = true };
        var emotions = new Command("emotions", "Learn the emotion layer's weights and thresholds (cross-validated on the same split) and write the model file.") { data, output };
        emotions.SetAction(async (parseResult, cancellationToken) =>
        {
            FileInfo input = parseResult.GetValue(data)!;
            if (!input.Exists)
            {
                await Console.Error.WriteLineAsync($"empathykit learn emotions: '{input.FullName}' does not exist.");
                return 2;
            }

            if (string.Equals(input.Name, "dev.tsv", StringComparison.OrdinalIgnoreCase) || string.Equals(input.Name, "test.tsv", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("empathykit learn emotions: learn from the train split only; dev and test are for measuring.");
                return 2;
            }

            var settings = new EmotionTrainingSettings();
            Sentiment.EmotionModel model;
            TrainingReport report;
            try
            {
                (model, report) = EmotionModelTrainer.Train(input.FullName, settings, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException)
            {
                // A missing emotions.txt or ekman_mapping.json beside the split, or a mapping that is not JSON.
                await Console.Error.WriteLineAsync($"empathykit learn emotions: cannot read the split and its label files beside it: {e.Message}");
                return 2;
            }

            FileInfo target = parseResult.GetValue(output)!;
            string temporary = target.FullName + ".tmp";
            using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.NewLine = "\n";
                model.Write(writer, EmotionModelTrainer.Header(report, settings));
            }

            File.Move(temporary, target.FullName, overwrite: true);
            Console.Write(report.Format());
            Console.WriteLine($"Wrote {target.FullName}");
            return 0;
        });

        return new Command("learn", "Rebuild learned components from labelled data.") { emotions, CrisisLearnCommand.Create(), SemanticLearnCommand.Create() };
    }
}
