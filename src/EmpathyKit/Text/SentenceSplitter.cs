namespace EmpathyKit.Text;

/// <summary>Finds sentence ends, so stages that check whole sentences behave the same when streaming.</summary>
internal static class SentenceSplitter
{
    /// <summary>
    /// Returns the length of the longest prefix of <paramref name="text"/> made of complete sentences: up to and
    /// including a terminator (<c>. ! ? …</c> or a line break) followed by white space. Returns 0 when there is none.
    /// </summary>
    /// <param name="text">Buffered text.</param>
    /// <returns>The length of the complete part.</returns>
    public static int CompletePrefixLength(ReadOnlySpan<char> text)
    {
        for (int i = text.Length - 2; i >= 0; i--)
        {
            if (IsTerminator(text[i]) && char.IsWhiteSpace(text[i + 1]))
            {
                int end = i + 1;
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                return end;
            }
        }

        return 0;
    }

    /// <summary>
    /// Appends streamed text to a buffer and takes the complete sentences off its front (see
    /// <see cref="CompletePrefixLength"/>); the rest stays in the buffer.
    /// </summary>
    /// <param name="pending">The buffer of text not yet a complete sentence.</param>
    /// <param name="text">The text that arrived.</param>
    /// <returns>The complete sentences, or an empty string.</returns>
    public static string TakeComplete(ref string pending, string text)
    {
        pending = pending.Length == 0 ? text : pending + text;
        int complete = CompletePrefixLength(pending);
        if (complete == 0)
        {
            return string.Empty;
        }

        string ready = complete == pending.Length ? pending : pending[..complete];
        pending = complete == pending.Length ? string.Empty : pending[complete..];
        return ready;
    }

    /// <summary>Splits a whole text into sentences, keeping each sentence's trailing white space.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The sentences, which concatenate back to <paramref name="text"/>.</returns>
    public static List<string> Split(string text)
    {
        var sentences = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length - 1; i++)
        {
            if (IsTerminator(text[i]) && char.IsWhiteSpace(text[i + 1]))
            {
                int end = i + 1;
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                sentences.Add(text[start..end]);
                start = end;
                i = end - 1;
            }
        }

        if (start < text.Length)
        {
            sentences.Add(text[start..]);
        }

        return sentences;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '\u2026' or '\n';
}
