using EmpathyKit.Guard;
using EmpathyKit.Text;

namespace EmpathyKit.Tests.Text;

/// <summary>
/// The guard runs its heaviest patterns only when a cue word is present. These tests expand every term list those
/// patterns are built from into each string it can match, and require a cue in each: a term added without a cue would
/// otherwise never be caught.
/// </summary>
public sealed class ReplyPatternCueTests
{
    [Theory]
    [InlineData(nameof(ReplyPatterns.Conditions))]
    [InlineData(nameof(ReplyPatterns.DiagnosticAdjectives))]
    public void Every_condition_the_diagnosis_pattern_names_contains_a_cue(string list)
    {
        string pattern = list == nameof(ReplyPatterns.Conditions) ? ReplyPatterns.Conditions : ReplyPatterns.DiagnosticAdjectives;

        AssertEveryExpansionHasACue(pattern, ReplyPatterns.ConditionCueWords);
    }

    [Fact]
    public void Every_medication_the_advice_pattern_names_contains_a_cue()
    {
        AssertEveryExpansionHasACue(ReplyPatterns.Medications, ReplyPatterns.MedicationCueWords);
    }

    [Fact]
    public void The_expander_sees_every_alternative()
    {
        List<string> expanded = Expand("(?:an? (?:x|y)s?|z[ab])");

        Assert.Equal(["a x", "a xs", "a y", "a ys", "an x", "an xs", "an y", "an ys", "za", "zb"], expanded.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("You have DID, from what you describe.")]
    [InlineData("You're clearly autistic.")]
    [InlineData("You probably have C-PTSD.")]
    [InlineData("Sounds like generalised anxiety.")]
    [InlineData("My diagnosis is that you're fine.")]
    public void Short_and_rare_condition_names_still_reach_the_pattern(string reply)
    {
        Assert.Contains(GuardViolations.Diagnosis, new PatternOutputGuard().Check(reply).Violations);
    }

    [Theory]
    [InlineData("You could try a sedative.")]
    [InlineData("Start taking an anti-psychotic.")]
    [InlineData("Amitriptyline would help you sleep.")]
    public void Medication_classes_and_generic_names_still_reach_the_pattern(string reply)
    {
        Assert.Contains(GuardViolations.MedicationDose, new PatternOutputGuard().Check(reply).Violations);
    }

    private static void AssertEveryExpansionHasACue(string pattern, string[] cues)
    {
        List<string> expanded = Expand(pattern);
        Assert.True(expanded.Count >= 5, $"only {expanded.Count} expansions: the expander no longer understands the list");
        string[] uncovered = expanded.Where(term => !cues.Any(cue => term.Contains(cue, StringComparison.OrdinalIgnoreCase))).ToArray();

        Assert.True(uncovered.Length == 0, "no cue for: " + string.Join(", ", uncovered));
    }

    /// <summary>
    /// Every string a finite pattern matches. It understands exactly what the term lists use: literals, escaped
    /// characters, non-capturing groups with alternation, character classes of plain letters and the <c>?</c> quantifier;
    /// anything else fails the test rather than being skipped.
    /// </summary>
    private static List<string> Expand(string pattern)
    {
        int position = 0;
        List<string> result = ParseAlternation(pattern, ref position);
        Assert.Equal(pattern.Length, position);
        return result;
    }

    private static List<string> ParseAlternation(string pattern, ref int position)
    {
        var all = new List<string>();
        while (true)
        {
            all.AddRange(ParseSequence(pattern, ref position));
            if (position < pattern.Length && pattern[position] == '|')
            {
                position++;
                continue;
            }

            return all;
        }
    }

    private static List<string> ParseSequence(string pattern, ref int position)
    {
        var current = new List<string> { string.Empty };
        while (position < pattern.Length && pattern[position] is not ('|' or ')'))
        {
            List<string> atom = ParseAtom(pattern, ref position);
            if (position < pattern.Length && pattern[position] == '?')
            {
                position++;
                atom.Add(string.Empty);
            }

            Assert.False(position < pattern.Length && pattern[position] is '*' or '+' or '{', $"unbounded quantifier at {position}");
            current = [.. current.SelectMany(prefix => atom.Select(suffix => prefix + suffix))];
        }

        return current;
    }

    private static List<string> ParseAtom(string pattern, ref int position)
    {
        char c = pattern[position];
        switch (c)
        {
            case '(':
                Assert.True(pattern.AsSpan(position).StartsWith("(?:"), $"only non-capturing groups are understood, at {position}");
                position += 3;
                List<string> inner = ParseAlternation(pattern, ref position);
                Assert.Equal(')', pattern[position]);
                position++;
                return inner;
            case '[':
                var options = new List<string>();
                position++;
                while (pattern[position] != ']')
                {
                    Assert.True(char.IsLetter(pattern[position]) || pattern[position] == ' ', $"unexpected class member at {position}");
                    options.Add(pattern[position].ToString());
                    position++;
                }

                position++;
                return options;
            case '\\':
                position += 2;
                return [pattern[position - 1].ToString()];
            default:
                Assert.True(char.IsLetterOrDigit(c) || c is ' ' or '\'' or '-', $"unexpected pattern character '{c}' at {position}");
                position++;
                return [c.ToString()];
        }
    }
}
