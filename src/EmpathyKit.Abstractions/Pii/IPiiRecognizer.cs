namespace EmpathyKit;

/// <summary>
/// Recognizes one or more kinds of personal data (for example a host's patient-id format). The built-in detector runs
/// every registered recognizer, drops matches below the type's threshold or on the allow-list, and resolves overlaps.
/// </summary>
/// <remarks>Implementations are thread-safe, fast and synchronous, and never log the text or what they find.</remarks>
public interface IPiiRecognizer
{
    /// <summary>Gets a short name for the recognizer (used in diagnostics).</summary>
    string Name { get; }

    /// <summary>Adds the entities found in <paramref name="text"/> to <paramref name="results"/>.</summary>
    /// <param name="text">The text, with whole-word context lookup.</param>
    /// <param name="results">Where to add entities (offsets into <see cref="PiiText.Text"/>).</param>
    void Recognize(PiiText text, ICollection<PiiEntity> results);
}
