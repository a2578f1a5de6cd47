using System.CommandLine;
using System.Text;
using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Cli.Eval;

/// <summary>
/// <c>empathykit eval crisis-explain --text "..."</c>: shows how the construct engine reads one message (words, stems,
/// clauses, every construct and mechanism phrase found, and the assessment), for developers tuning on development data.
/// </summary>
internal static class CrisisExplain
{
    public static Command Create()
    {
        var text = new Option<string[]>("--text", "-t") { Description = "The message; give it several times for a conversation (the last is assessed).", Required = true, AllowMultipleArgumentsPerToken = false };
        var command = new Command("crisis-explain", "Show the words, stems, clauses, constructs and mechanisms the crisis engine finds in a message, and its assessment.") { text };
        command.SetAction(parseResult =>
        {
            string[] turns = parseResult.GetValue(text)!;
            Console.Write(Explain(turns));
            return 0;
        });
        return command;
    }

    public static string Explain(IReadOnlyList<string> turns)
    {
        var output = new StringBuilder();
        ConstructLexicon lexicon = ConstructLexicon.Default;
        CrisisTokens tokens = CrisisTokens.Parse(turns[^1]);
        for (int i = 0; i < tokens.Count; i++)
        {
            output.Append(tokens.Words[i]).Append('/').Append(tokens.Stems[i]).Append('/').Append(tokens.Clause[i]).Append(' ');
        }

        output.AppendLine();
        foreach (ConstructHit hit in lexicon.Match(tokens))
        {
            output.Append("  ").Append(lexicon.ClassName(hit.Class)).Append(hit.Specific ? string.Empty : " (ambiguous)").Append(": ")
                .AppendLine(string.Join(' ', tokens.Words[hit.Start..hit.End]));
        }

        var input = new CrisisInput(turns[^1], [.. turns.Take(turns.Count - 1)]);
        foreach ((string name, bool model) in new[] { ("rules", false), ("rules + model", true) })
        {
            CrisisAssessment a = ConstructCrisisDetector.Default.Assess(input, model);
            output.AppendLine($"{name}: {a.Level.ToWireName()} rung {a.Rung} categories [{string.Join(',', a.Categories.Select(c => c.ToWireName()))}] signals [{string.Join(',', a.Signals)}] constructs [{string.Join(',', a.Constructs)}]");
        }

        return output.ToString();
    }
}
