using EmpathyKit.Pii.Gazetteers;

namespace EmpathyKit.Tests.Pii;

/// <summary>The PERSON recognizer's hand-written word lists are embedded data files, read as written.</summary>
public sealed class PersonWordListTests
{
    public static TheoryData<string> Lists =>
    [
        "person-cue-only", "person-not-names", "person-medications", "person-countries", "person-place-prefixes",
        "person-organisation-words", "person-locatives", "person-predicates", "person-determiners", "person-motion-verbs",
    ];

    [Theory]
    [MemberData(nameof(Lists))]
    public void Every_list_is_embedded_with_a_header_and_one_lower_case_entry_a_line(string name)
    {
        using Stream stream = typeof(PersonWordLists).Assembly.GetManifestResourceStream($"EmpathyKit.Pii.Gazetteers.{name}.txt")!;
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        string[] lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("# EmpathyKit " + name, lines[0], StringComparison.Ordinal);
        string[] entries = [.. lines.Where(l => !l.StartsWith('#'))];
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal(e.Trim().ToLowerInvariant(), e));
        Assert.Equal(entries.Length, entries.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_lists_hold_what_the_recognizer_decides_with()
    {
        PersonWordLists words = PersonWordLists.Default;

        Assert.Same(words, PersonWordLists.Default);
        Assert.True(words.CueOnly.Contains("hope"), "hope");
        Assert.True(words.NotNames.Contains("i\u2019m"), "i\u2019m");
        Assert.True(words.Medications.Contains("sertraline"), "sertraline");
        Assert.True(words.Countries.Contains("france"), "france");
        Assert.True(words.PlacePrefixes.Contains("s\u00e3o"), "s\u00e3o");
        Assert.True(words.OrganisationWords.Contains("orchestra"), "orchestra");
        Assert.True(words.Locatives.Contains("from"), "from");
        Assert.True(words.PersonPredicates.Contains("shouted"), "shouted");
        Assert.True(words.Determiners.Contains("the"), "the");
        Assert.True(words.MotionVerbs.Contains("travelling"), "travelling");
        Assert.Equal(
            [101, 304, 78, 175, 16, 55, 10, 76, 19, 35],
            new[] { words.CueOnly, words.NotNames, words.Medications, words.Countries, words.PlacePrefixes, words.OrganisationWords, words.Locatives, words.PersonPredicates, words.Determiners, words.MotionVerbs }.Select(s => s.Count));
    }
}
