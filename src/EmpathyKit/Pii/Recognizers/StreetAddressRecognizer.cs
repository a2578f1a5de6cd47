using System.Text.RegularExpressions;

namespace EmpathyKit.Pii.Recognizers;

/// <summary>
/// Street addresses: a house number and a street name ending in a street word (Street, Rd, Avenue, Lane, Close,
/// Crescent, Way, Grove, Drive …), with an optional flat or unit before ("Flat 3, 27 Victoria Road") or after ("Apt 4B",
/// "Suite 200"); European forms (a street word suffix such as -straße, -katu, -vej, or "Rua/Rue/Via/Calle …" with a
/// number; "number Name number" as in "28245 Puruntie 82"); and, after an address cue ("my address is", "I live at"),
/// the rest of the clause when it starts with a number, a flat or a PO box.
/// </summary>
internal sealed partial class StreetAddressRecognizer : IPiiRecognizer
{
    public string Name => "street_address";

    public void Recognize(PiiText text, ICollection<PiiEntity> results)
    {
        if (!RegexRecognizer.HasDigit(text.Text))
        {
            return;
        }

        var structured = new List<(int Start, int End)>();
        foreach (Match m in UsUkRegex().Matches(text.Text))
        {
            int end = ExtendOverBlock(text.Text, TrimEnd(text.Text, m.Index, m.Index + m.Length));
            structured.Add((m.Index, end));
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, end, 0.85, "address_number_street"));
        }

        foreach (Match m in EuropeanRegex().Matches(text.Text))
        {
            int end = ExtendOverBlock(text.Text, TrimEnd(text.Text, m.Index, m.Index + m.Length));
            structured.Add((m.Index, end));
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, end, 0.75, "address_european"));
        }

        foreach (Match m in CornerRegex().Matches(text.Text))
        {
            Group body = m.Groups["body"];
            structured.Add((body.Index, body.Index + body.Length));
            results.Add(new PiiEntity(PiiTypes.StreetAddress, body.Index, TrimEnd(text.Text, body.Index, body.Index + body.Length), 0.8, "address_corner_of"));
        }

        foreach (Match m in PoBoxRegex().Matches(text.Text))
        {
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, m.Index + m.Length, 0.85, "address_po_box"));
        }

        foreach (Match m in NumberFirstRomanceRegex().Matches(text.Text))
        {
            int end = ExtendOverBlock(text.Text, TrimEnd(text.Text, m.Index, m.Index + m.Length));
            structured.Add((m.Index, end));
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, end, 0.8, "address_number_romance_street"));
        }

        foreach (Match m in MilitaryRegex().Matches(text.Text))
        {
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, m.Index + m.Length, 0.9, "address_military"));
        }

        foreach (Match m in UnitRegex().Matches(text.Text))
        {
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, m.Index + m.Length, 0.7, "address_unit"));
        }

        foreach (Match m in SeparateStreetWordRegex().Matches(text.Text))
        {
            structured.Add((m.Index, m.Index + m.Length));
            results.Add(new PiiEntity(PiiTypes.StreetAddress, m.Index, m.Index + m.Length, 0.75, "address_street_word"));
        }

        foreach (Match m in CuedRegex().Matches(text.Text))
        {
            Group body = m.Groups["body"];
            if (structured.Exists(s => s.Start <= body.Index && body.Index < s.End))
            {
                // A recognised address starts here: the cue adds nothing, and the rest of the clause is not address.
                continue;
            }

            results.Add(new PiiEntity(PiiTypes.StreetAddress, body.Index, TrimEnd(text.Text, body.Index, body.Index + body.Length), 0.8, "address_after_cue", m.Groups["cue"].Value.ToLowerInvariant()));
        }
    }

    [GeneratedRegex(@"\b(?:the\s+)?corner\s+of\s+(?<body>[^!?\n]*?\d[^!?\n]{0,40}?\s+and\s+[\p{L}'’. -]{3,40}?)(?=[.!?,\n]|$| in | for | please)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex CornerRegex();

    [GeneratedRegex(@"\b(?:(?:PSC|Unit|USNS|USNV|USS|USCGC)\s+[\p{L}\d ]{1,20}?(?:,?\s*Box\s+\d{1,5})?\s+)?(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex MilitaryRegex();

    [GeneratedRegex(@"\b(?:P\.?[ ]?O\.?[ ]?Box|Post(?:office)? ?Box|Postbox|Apartado|Postfach)[ \t]+\d{1,6}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex PoBoxRegex();

    [GeneratedRegex(@"(?<![\w-])(?:\d{1,6}[ \t]+)?\d{1,5}[A-Za-z]?,?[ \t]+(?:rue|rua|via|viale|calle|avenida|avda\.|av\.|carrer|corso|piazza|strada|str\.|ulica|ul\.|al\.|boulevard|bd\.|chemin|place|r\.)(?:[ \t]+[\p{L}'’.-]+){1,5}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex NumberFirstRomanceRegex();

    [GeneratedRegex(@"\b(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.?[ \t]*\d{1,5}[A-Za-z]?\b", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"(?<![\w-])(?:[A-ZÀ-Þ][\p{L}'’-]+[ \t]+){1,2}(?:Strasse|Straße|Gasse|Weg|Platz|Allee|Ring|Vej|Gade|Laan|Straat|Dreef|Plein|Ulica|Utca|tér|út|u\.|katu|tie)[ \t]+\d{1,5}[A-Za-z]?\.?(?!\w)", RegexOptions.CultureInvariant, RegexRecognizer.Timeout)]
    private static partial Regex SeparateStreetWordRegex();

    /// <summary>
    /// Extends an address found at the start of a line over the short lines that follow it in the same block (unit,
    /// town, "Country 12345"), as addresses are written on envelopes and in signatures.
    /// </summary>
    internal static int ExtendOverBlock(string text, int end)
    {
        const int MaxBlockLineScan = 256;

        // Only blanks may follow the address on its line; scanning stops at the first other character, so the cost is
        // that run of blanks, not the rest of the text (a long line of repeated addresses was quadratic).
        int lineEnd = end;
        while (lineEnd < text.Length && text[lineEnd] != '\n' && char.IsWhiteSpace(text[lineEnd]))
        {
            lineEnd++;
        }

        if (lineEnd >= text.Length || text[lineEnd] != '\n')
        {
            return end;
        }

        int extended = end;
        int position = lineEnd;
        bool blankSeen = false;
        for (int lines = 0; lines < 4 && position < text.Length && text[position] == '\n'; lines++)
        {
            // A line of the block is at most 40 characters (after trimming), so the search for its end is bounded too:
            // no line end within MaxBlockLineScan characters is a line too long to belong to the block.
            int remaining = text.Length - position - 1;
            int found = text.AsSpan(position + 1, Math.Min(remaining, MaxBlockLineScan)).IndexOf('\n');
            if (found < 0 && remaining > MaxBlockLineScan)
            {
                break;
            }

            int next = found < 0 ? -1 : position + 1 + found;
            int stop = next < 0 ? text.Length : next;
            ReadOnlySpan<char> line = text.AsSpan(position + 1, stop - position - 1).Trim(" \t>?*-•".AsSpan());
            if (line.Length == 0 && !blankSeen && next >= 0)
            {
                // One blank line may separate the last line ("Estonia 62488") from the rest of the block.
                blankSeen = true;
                position = stop;
                continue;
            }

            if (line.Length == 0 || line.Length > 40 || line.IndexOfAny(".!?:".AsSpan()) >= 0 && !line.EndsWith('.'))
            {
                break;
            }

            extended = stop;
            position = stop;
        }

        return extended;
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && (char.IsWhiteSpace(text[end - 1]) || text[end - 1] is ',' or '.' or ';'))
        {
            end--;
        }

        // Trailing dots go too, an abbreviation's included ("Str."): a sentence's full stop and an abbreviation's dot
        // cannot be told apart here, and the dot identifies nobody.
        return end;
    }

    [GeneratedRegex(
        @"(?:(?:Flat|Apartment|Apt|Unit|Suite|Room)\.?\s*[0-9][0-9A-Za-z-]{0,4},?\s+)?(?<![\w.-])\d{1,5}[A-Za-z]?(?:[-–]\d{1,5})?,?[ \t]+(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\p{L}'’.-]*)[ \t]+){0,3}(?:Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Close|Crescent|Cres|Way|Grove|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Terrace|Tce|Square|Sq|Gardens|Gdns|Parkway|Pkwy|Highway|Hwy|Row|Mews|Hill|Park|Walk|Circle|Cir|Trail|Trl|Alley|Plaza|Loop|Ridge|Green|Rise|View|Wharf|Quay|Broadway|Estate|Str)\b\.?(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|\#)\.?[ \t]*[\w-]{1,6})?",
        RegexOptions.CultureInvariant,
        RegexRecognizer.Timeout)]
    private static partial Regex UsUkRegex();

    [GeneratedRegex(
        @"(?<![\w-])(?:\d{1,5}[ \t]+)?(?:[A-ZÀ-Þ][\p{L}'’-]*(?:straße|strasse|gasse|weg|platz|allee|ring|gatan|vägen|gata|katu|tie|kuja|vej|gade|laan|straat|dreef|plein|ulica|utca|ulice|ut|út)|(?:Rua|Rue|Via|Viale|Calle|Avenida|Av\.|Carrer|Corso|Piazza|Plaza|Praça|Ulica|Boulevard|ul\.|al\.|pl\.|os\.|C/|R\.)(?:[ \t]+[\p{L}'’.-]+){1,4}?)[ \t]+\d{1,5}[A-Za-z]?(?:[ \t]*(?:Apt|Suite|Unit|Ste)\.?[ \t]*\d{1,5})?(?!\w)|(?<![\w-])\d{1,5}[ \t]+[A-ZÀ-Þ][\p{L}'’-]{2,}(?:[ \t]+(?:[A-ZÀ-Þ][\p{L}'’-]{2,}|de|do|da|dos|das|del|della|di|du|van|der|den|la|le|tee|tie|vej|gate)){0,3}[ \t]+\d{1,5}[A-Za-z]?(?:[ \t]*(?:Apt|Suite|Unit|Ste)\.?[ \t]*\d{1,5})?(?!\w)",
        RegexOptions.CultureInvariant,
        RegexRecognizer.Timeout)]
    private static partial Regex EuropeanRegex();

    [GeneratedRegex(
        @"(?<!\b(?:ip|e-?mail|web|mac|wallet|server|network|internet|v4|v6)\s)\b(?<cue>address(?: is|:)|address of [\w ]{1,40}? is|(?:i|we|she|he|they) (?:live|lives|stay|stays) at|lives (?:at|on)|located (?:at|on)|office is at|send (?:it|them|this|mail) to|sent to|deliver(?:ed)?(?: it)? to|ship(?:ped)? to|moved to|meet (?:me|us) at|drops? (?:you|me|us) off at|return (?:it )?to|(?:is|are) (?:at|on))\s+(?<body>(?:\d{1,5}|Flat|Apt|Apartment|Unit|Suite|PO Box|P\.O\. Box|PSC)(?=[^,.!?\n]*?\p{L}{3,}[^,.!?\n]*?\d|[^,.!?\n]*?\b(?:street|st|road|rd|avenue|ave|lane|close|drive|way|place|terrace|rue|rua|via|calle|tie|vej|gade|str)\b)[^,.!?\n]{3,80})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        RegexRecognizer.Timeout)]
    private static partial Regex CuedRegex();
}
