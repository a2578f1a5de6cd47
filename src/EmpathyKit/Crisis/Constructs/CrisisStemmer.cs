using System.Collections.Frozen;

namespace EmpathyKit.Crisis.Constructs;

/// <summary>
/// A small, deterministic English stemmer for crisis matching. It maps inflections to one key ("took", "taking",
/// "taken" → <c>tak</c>; "pills" → <c>pill</c>; "cutting" → <c>cut</c>; "am", "was", "been" → <c>be</c>) through a table
/// of irregular forms and a handful of suffix rules. The key is not always a dictionary word: what matters is that the
/// lexicon's phrases and the user's words are reduced by the same function, so inflected, contracted and plain forms
/// meet.
/// </summary>
/// <remarks>Pure, allocation-light (a stem that equals its word is the same string), and linear in the word's length.</remarks>
internal static class CrisisStemmer
{
    private static readonly FrozenDictionary<string, string> Irregular = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["am"] = "be", ["is"] = "be", ["are"] = "be", ["was"] = "be", ["were"] = "be", ["been"] = "be", ["being"] = "be",
        ["has"] = "have", ["had"] = "have", ["having"] = "have", ["does"] = "do", ["did"] = "do", ["done"] = "do", ["doing"] = "do",
        ["took"] = "take", ["taken"] = "take", ["bought"] = "buy", ["got"] = "get", ["gotten"] = "get", ["ate"] = "eat",
        ["eaten"] = "eat", ["drank"] = "drink", ["drunk"] = "drink", ["hung"] = "hang", ["shot"] = "shoot", ["felt"] = "feel",
        ["thought"] = "think", ["wrote"] = "write", ["written"] = "write", ["gave"] = "give", ["given"] = "give",
        ["went"] = "go", ["gone"] = "go", ["goes"] = "go", ["made"] = "make", ["said"] = "say", ["says"] = "say",
        ["found"] = "find", ["left"] = "leave", ["kept"] = "keep", ["sold"] = "sell", ["told"] = "tell", ["fell"] = "fall",
        ["fallen"] = "fall", ["began"] = "begin", ["begun"] = "begin", ["ran"] = "run", ["saw"] = "see", ["seen"] = "see",
        ["knew"] = "know", ["known"] = "know", ["stole"] = "steal", ["stolen"] = "steal", ["hid"] = "hide", ["hidden"] = "hide",
        ["bit"] = "bite", ["bitten"] = "bite", ["beaten"] = "beat", ["drove"] = "drive", ["driven"] = "drive",
        ["threw"] = "throw", ["thrown"] = "throw", ["held"] = "hold", ["stood"] = "stand", ["sat"] = "sit", ["lost"] = "lose",
        ["died"] = "die", ["dying"] = "die", ["dies"] = "die", ["lying"] = "lie", ["lied"] = "lie", ["tying"] = "tie", ["tied"] = "tie",
        ["swallowed"] = "swallow", ["swam"] = "swim", ["sank"] = "sink", ["sunk"] = "sink", ["slit"] = "slit",
        ["bled"] = "bleed", ["fed"] = "feed", ["meant"] = "mean", ["sent"] = "send", ["spent"] = "spend", ["brought"] = "bring",
        ["caught"] = "catch", ["taught"] = "teach", ["fought"] = "fight", ["sought"] = "seek", ["broke"] = "break",
        ["broken"] = "break", ["woke"] = "wake", ["woken"] = "wake", ["chose"] = "choose", ["chosen"] = "choose",
        ["forgot"] = "forget", ["forgotten"] = "forget", ["hurt"] = "hurt", ["hurts"] = "hurt", ["hurting"] = "hurt",
        ["men"] = "man", ["women"] = "woman", ["children"] = "child", ["kids"] = "kid", ["knives"] = "knife", ["lives"] = "life",
        ["wives"] = "wife", ["feet"] = "foot", ["teeth"] = "tooth", ["mice"] = "mouse", ["people"] = "people",
        ["wanna"] = "want", ["gonna"] = "go", ["myself"] = "myself", ["yourself"] = "yourself", ["himself"] = "himself",
        ["herself"] = "herself", ["themselves"] = "themselves", ["themself"] = "themselves", ["this"] = "this", ["his"] = "his",
        ["us"] = "us", ["bus"] = "bus", ["yes"] = "yes", ["nothing"] = "nothing", ["something"] = "something",
        ["anything"] = "anything", ["everything"] = "everything", ["morning"] = "morning", ["evening"] = "evening",
        ["during"] = "during", ["ceiling"] = "ceiling", ["building"] = "building", ["wedding"] = "wedding",
        ["news"] = "news", ["always"] = "always", ["perhaps"] = "perhaps", ["sometimes"] = "sometimes", ["less"] = "less",
        ["unless"] = "unless", ["pills"] = "pill", ["meds"] = "med", ["needs"] = "need", ["going"] = "go", ["used"] = "use", ["using"] = "use",
        ["here"] = "here", ["there"] = "there", ["where"] = "where",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Returns the stem of a lower-case word.</summary>
    /// <param name="word">A lower-case word from <see cref="CrisisTextNormalizer"/>.</param>
    /// <returns>Its stem; the same instance when nothing changes.</returns>
    public static string Stem(string word)
    {
        if (Irregular.TryGetValue(word, out string? irregular))
        {
            // Identity entries protect a word from the suffix rules; the others name a base form, stemmed as usual.
            return ReferenceEquals(irregular, word) || irregular == word ? word : Stem(irregular);
        }

        if (word.Length <= 2 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        ReadOnlySpan<char> w = word;
        if (w.Length > 5 && w.EndsWith("ing") && !w.EndsWith("thing"))
        {
            return Stripped(w[..^3]);
        }

        if (w.Length > 4 && w.EndsWith("ied"))
        {
            return string.Concat(w[..^3], "y");
        }

        if (w.Length > 4 && w.EndsWith("ed") && !w.EndsWith("eed"))
        {
            return Stripped(w[..^2]);
        }

        if (w.Length > 4 && w.EndsWith("ies"))
        {
            return string.Concat(w[..^3], "y");
        }

        if (w.Length > 4 && (w.EndsWith("sses") || w.EndsWith("ches") || w.EndsWith("shes") || w.EndsWith("xes")))
        {
            return w[..^2].ToString();
        }

        if (w.Length > 3 && w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i'))
        {
            return Final(w[..^1].ToString());
        }

        return Final(word);
    }

    /// <summary>
    /// Drops a final silent "e" from words of five letters or more ("choke" → "chok", as "choking" → "chok"). Shorter
    /// words keep it ("take", "note", "cute"), and their inflections get it back in <see cref="Stripped"/>.
    /// </summary>
    private static string Final(string stem) =>
        stem.Length >= 5 && stem[^1] == 'e' && stem[^2] is not ('e' or 'i' or 'o' or 'y') && !SilentE(stem.AsSpan(0, stem.Length - 1)) ? stem[..^1] : stem;

    /// <summary>
    /// A stem whose word had a silent e: three letters, a consonant, a vowel and a consonant ("tak" from "taking", "not"
    /// from "noted"), or four, two consonants, a vowel and a consonant ("scar" from "scared", "stor", "shar", "chok").
    /// The e is put back or kept, so "take" and "taking" meet, and "scare" and "scar", "stare" and "star" stay apart. A
    /// doubled consonant ("scarred", "starring") marks the word without the e and is undoubled first.
    /// </summary>
    private static bool SilentE(ReadOnlySpan<char> stem) =>
        (stem.Length == 3 || (stem.Length == 4 && !IsVowel(stem[1]) && stem[1] != 'y'))
        && !IsVowel(stem[0]) && IsVowel(stem[^2]) && !IsVowel(stem[^1]) && stem[^1] is not ('w' or 'x' or 'y');

    /// <summary>
    /// The stem left by "-ing" or "-ed": a doubled final consonant is undoubled ("cutt" → "cut", "plann" → "plan"; not
    /// "kill", "pass", "stuff"); a stem that had a silent e gets it back (<see cref="SilentE"/>: "tak" → "take", "scar"
    /// from "scared" → "scare"), so it meets the base form.
    /// </summary>
    private static string Stripped(ReadOnlySpan<char> stem)
    {
        if (stem.Length >= 3 && stem[^1] == stem[^2] && stem[^1] is 'b' or 'd' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
        {
            return stem[..^1].ToString();
        }

        if (SilentE(stem))
        {
            return string.Concat(stem, "e");
        }

        return Final(stem.ToString());
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
