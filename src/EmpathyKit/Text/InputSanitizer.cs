using System.Text;

namespace EmpathyKit.Text;

/// <summary>
/// Removes control and formatting characters that have no place in a chat message (C0/C1 controls other than tab and
/// line breaks, bidirectional overrides, zero-width characters used to hide text from filters) and normalises the text
/// to Unicode form C. Printable text, emoji and line breaks are kept.
/// </summary>
internal static class InputSanitizer
{
    /// <summary>Sanitises <paramref name="text"/>.</summary>
    /// <param name="text">The raw message.</param>
    /// <param name="changed">Whether anything was removed or normalised.</param>
    /// <returns>The clean text, trimmed.</returns>
    public static string Sanitize(string text, out bool changed)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? builder = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsRemoved(c))
            {
                builder ??= new StringBuilder(text.Length).Append(text, 0, i);
                continue;
            }

            builder?.Append(c == '\r' ? '\n' : c);
        }

        string result = builder?.ToString() ?? text;
        bool normalized = false;
        if (!IsNormalizedSafe(result))
        {
            result = SafeNormalize(result);
            normalized = true;
        }

        changed = builder is not null || normalized;
        return result.Trim();
    }

    private static bool IsNormalizedSafe(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string SafeNormalize(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates cannot be normalised: replace them rather than fail the turn.
            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(text[i]).Append(text[i + 1]);
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    builder.Append('\uFFFD');
                }
                else
                {
                    builder.Append(text[i]);
                }
            }

            return builder.ToString().Normalize(NormalizationForm.FormC);
        }
    }

    private static bool IsRemoved(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < ' ' => true,
        >= '\u007F' and <= '\u009F' => true,
        '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };
}
