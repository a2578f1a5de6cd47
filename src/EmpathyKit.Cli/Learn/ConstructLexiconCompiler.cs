using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmpathyKit.Cli.Eval;
using EmpathyKit.Crisis.Constructs;

namespace EmpathyKit.Cli.Learn;

/// <summary>
/// Compiles the Suicide Risk Lexicon (Low, Mair, Nock et al., Apache-2.0) into the construct table the engine embeds:
/// one line per phrase, <c>construct&lt;TAB&gt;s|a&lt;TAB&gt;phrase</c>. A phrase is marked ambiguous (<c>a</c>) when it is
/// common in everyday text: a single word found in at least <see cref="SingleWordLimit"/> of the everyday comments, or any
/// phrase found in at least <see cref="PhraseLimit"/>. Ambiguous phrases ("cutting", "bridge", "attempt") never raise a
/// level on their own; they count only in composition with the mechanisms, and as model features.
/// </summary>
internal static class ConstructLexiconCompiler
{
    /// <summary>A single word in this many everyday comments or more is ambiguous.</summary>
    public const int SingleWordLimit = 5;

    /// <summary>Any phrase in this many everyday comments or more is ambiguous.</summary>
    public const int PhraseLimit = 40;

    /// <summary>The lexicon's construct names and the ids the engine uses.</summary>
    public static IReadOnlyDictionary<string, string> ConstructIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Passive suicidal ideation"] = "passive_ideation",
        ["Active suicidal ideation & suicidal planning"] = "active_ideation",
        ["Lethal means for suicide"] = "lethal_means",
        ["Direct self-injury"] = "self_injury",
        ["Suicide exposure"] = "suicide_exposure",
        ["Other suicidal language"] = "other_suicidal_language",
        ["Hospitalization"] = "hospitalization",
        ["Loneliness & isolation"] = "loneliness",
        ["Social withdrawal"] = "social_withdrawal",
        ["Relationship issues"] = "relationship_issues",
        ["Relationships & kinship"] = "relationships",
        ["Bullying"] = "bullying",
        ["Sexual abuse & harassment"] = "sexual_abuse",
        ["Physical abuse & violence"] = "physical_abuse",
        ["Aggression & irritability"] = "aggression",
        ["Alcohol use"] = "alcohol_use",
        ["Other substance use"] = "substance_use",
        ["Impulsivity"] = "impulsivity",
        ["Defeat & feeling like a failure"] = "defeat",
        ["Burdensomeness"] = "burdensomeness",
        ["Shame, self-disgust, & worthlessness"] = "shame",
        ["Guilt"] = "guilt",
        ["Anxiety"] = "anxiety",
        ["Panic"] = "panic",
        ["Entrapment & desire to escape"] = "entrapment",
        ["Trauma & PTSD"] = "trauma",
        ["Agitation"] = "agitation",
        ["Rumination"] = "rumination",
        ["Depressed mood"] = "depressed_mood",
        ["Anhedonia & uninterested"] = "anhedonia",
        ["Emotional pain & psychache"] = "emotional_pain",
        ["Grief & bereavement"] = "grief",
        ["Existential meaninglessness & purposelessness"] = "meaninglessness",
        ["Emptiness"] = "emptiness",
        ["Hopelessness"] = "hopelessness",
        ["Perfectionism"] = "perfectionism",
        ["Fatigue & tired"] = "fatigue",
        ["Sleep issues"] = "sleep_issues",
        ["Psychosis & schizophrenia"] = "psychosis",
        ["Bipolar Disorder"] = "bipolar",
        ["Borderline Personality Disorder"] = "borderline",
        ["Eating disorders"] = "eating_disorder",
        ["Physical health issues & disability"] = "physical_health",
        ["Incarceration"] = "incarceration",
        ["Poverty & homelessness"] = "poverty",
        ["Gender & sexual identity"] = "gender_identity",
        ["Discrimination"] = "discrimination",
        ["Finances & work stress"] = "finances_work",
        ["Barriers to treatment"] = "treatment_barriers",
        ["Mental health treatment"] = "treatment",
    };

    /// <summary>Compiles the lexicon.</summary>
    /// <param name="lexiconCsv">The validated lexicon CSV (one column per construct, plus review columns).</param>
    /// <param name="everydayTexts">Everyday comments used to judge which phrases are ambiguous.</param>
    /// <param name="report">What was compiled, for the console.</param>
    /// <returns>The table's text.</returns>
    public static string Compile(string lexiconCsv, IReadOnlyList<string> everydayTexts, out string report)
    {
        List<List<string>> rows = [.. Csv.ReadRows(lexiconCsv)];
        List<string> header = rows[0];
        var phrases = new List<(string Construct, string Phrase)>();
        for (int column = 0; column < header.Count; column++)
        {
            if (!ConstructIds.TryGetValue(header[column].Trim(), out string? id))
            {
                continue;
            }

            // Rows 1-3 hold the construct's name, definition and sources; row 4 its examples ("a; b; c"); then phrases.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int r = 4; r < rows.Count; r++)
            {
                IEnumerable<string> cells = r == 4 ? rows[r].ElementAtOrDefault(column)?.Split(';') ?? [] : [rows[r].ElementAtOrDefault(column) ?? string.Empty];
                foreach (string cell in cells)
                {
                    string phrase = cell.Trim();
                    if (phrase.Length == 0 || phrase.Length > 80 || phrase == "0")
                    {
                        continue;
                    }

                    string key = string.Join(' ', CrisisTokens.Parse(phrase).Words);
                    if (key.Length > 0 && seen.Add(key))
                    {
                        phrases.Add((id, key));
                    }
                }
            }
        }

        // Document frequency of every phrase in everyday text, by matching all phrases at once.
        var probe = new StringBuilder();
        foreach ((string construct, string phrase) in phrases)
        {
            probe.Append(construct).Append('\t').Append('s').Append('\t').Append(phrase).Append('\n');
        }

        ConstructLexicon lexicon = ConstructLexicon.Build(new StringReader(probe.ToString()), new StringReader(string.Empty));
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var phraseTable = CrisisPhraseKeys.Index(phrases);
        foreach (string text in everydayTexts)
        {
            CrisisTokens tokens = CrisisTokens.Parse(text);
            var inText = new HashSet<string>(StringComparer.Ordinal);
            foreach (ConstructHit hit in lexicon.Match(tokens))
            {
                inText.Add(string.Join(' ', tokens.Stems[hit.Start..hit.End]));
            }

            foreach (string key in inText)
            {
                frequency[key] = frequency.GetValueOrDefault(key) + 1;
            }
        }

        var table = new StringBuilder();
        int ambiguous = 0;
        var byConstruct = new SortedDictionary<string, (int Specific, int Ambiguous)>(StringComparer.Ordinal);
        foreach ((string construct, string phrase) in phrases)
        {
            string stems = phraseTable[phrase];
            int df = frequency.GetValueOrDefault(stems);
            bool single = !phrase.Contains(' ', StringComparison.Ordinal);
            bool isAmbiguous = df >= PhraseLimit || (single && df >= SingleWordLimit);
            ambiguous += isAmbiguous ? 1 : 0;
            (int s, int a) = byConstruct.GetValueOrDefault(construct);
            byConstruct[construct] = isAmbiguous ? (s, a + 1) : (s + 1, a);
            table.Append(construct).Append('\t').Append(isAmbiguous ? 'a' : 's').Append('\t').Append(phrase).Append('\n');
        }

        string body = table.ToString();
        string checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var header2 = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        header2.Append("# EmpathyKit crisis construct table, compiled by `empathykit learn crisis` from the Suicide Risk Lexicon v1.0\n");
        header2.Append("# (Low, Mair, Nock et al., construct-tracker, Apache-2.0; see THIRD-PARTY-NOTICES.md): 50 clinician-validated constructs.\n");
        header2.Append(c, $"# Phrases normalised (lower case, contractions expanded); 'a' = ambiguous: a single word in >= {SingleWordLimit} or any phrase in >= {PhraseLimit} of {everydayTexts.Count} everyday comments.\n");
        header2.Append(c, $"# phrases: {phrases.Count}, ambiguous: {ambiguous}, sha256 of the body: {checksum}\n");

        var summary = new StringBuilder();
        summary.AppendLine(c, $"constructs: {byConstruct.Count}, phrases: {phrases.Count} ({ambiguous} ambiguous in everyday text)");
        foreach ((string construct, (int s, int a)) in byConstruct)
        {
            summary.AppendLine(c, $"  {construct,-26} {s,4} specific {a,4} ambiguous");
        }

        report = summary.ToString();
        return header2 + body;
    }
}

/// <summary>Stem keys of phrases (the key two phrases share when they match the same words).</summary>
internal static class CrisisPhraseKeys
{
    public static Dictionary<string, string> Index(IEnumerable<(string Construct, string Phrase)> phrases)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((_, string phrase) in phrases)
        {
            if (!keys.ContainsKey(phrase))
            {
                keys[phrase] = string.Join(' ', CrisisTokens.Parse(phrase).Stems);
            }
        }

        return keys;
    }
}
