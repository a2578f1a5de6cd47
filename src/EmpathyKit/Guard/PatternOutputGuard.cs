using System.Text.RegularExpressions;

namespace EmpathyKit.Guard;

/// <summary>
/// The built-in output guard: patterns for means or method information, diagnosing, medication doses, toxic
/// positivity, promises of secrecy and claims to be human. (Placeholders are legitimate here: the guard runs inside the
/// redaction stage, which turns them back into values and removes any it cannot.)
/// </summary>
/// <remarks>Pure and thread-safe. A regex timeout throws, and the guard stage fails closed.</remarks>
internal sealed partial class PatternOutputGuard : IOutputGuard
{
    private const int Timeout = 250;

    private static readonly (Func<Regex> Pattern, string Violation)[] Checks =
    [
        (MeansRegex, GuardViolations.MeansOrMethod),
        (DiagnosisRegex, GuardViolations.Diagnosis),
        (DoseRegex, GuardViolations.MedicationDose),
        (ToxicPositivityRegex, GuardViolations.ToxicPositivity),
        (SecrecyRegex, GuardViolations.SecrecyPromise),
        (HumanClaimRegex, GuardViolations.ClaimsHuman),
    ];

    /// <inheritdoc />
    public ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Check(text));
    }

    /// <summary>Checks a text synchronously.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The verdict.</returns>
    public static GuardResult Check(string text)
    {
        List<string>? violations = null;
        foreach ((Func<Regex> pattern, string violation) in Checks)
        {
            if (pattern().IsMatch(text))
            {
                (violations ??= []).Add(violation);
            }
        }

        return violations is null ? GuardResult.Pass : new GuardResult(false, violations);
    }

    [GeneratedRegex(@"\b(?:lethal|fatal|deadly) (?:dose|amount|quantity)|\b(?:tallest|highest) (?:bridges?|buildings?)\b|\bhow to (?:hang|overdose|kill|cut) (?:yourself|oneself)\b|\b\d+\s*(?:pills|tablets)\s+(?:would|will|is|are) (?:enough|fatal|lethal)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex MeansRegex();

    [GeneratedRegex(@"\byou (?:probably |might |may |likely |clearly |definitely |could )?(?:have|suffer from|are suffering from|'ve got) (?:clinical )?(?:depression|bpd|borderline|bipolar|adhd|add|ptsd|ocd|an? (?:anxiety|eating|personality|mood) disorder|schizophrenia|autism|anorexia|bulimia)\b|\bsounds like (?:you have |)(?:bpd|bipolar|adhd|ptsd|ocd|clinical depression)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DiagnosisRegex();

    [GeneratedRegex(@"\b\d+(?:[.,]\d+)?\s?(?:mg|milligrams?|mcg|micrograms?|ml|millilit(?:er|re)s?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DoseRegex();

    [GeneratedRegex(@"\b(?:look on the bright side|everything happens for a reason|(?:just )?(?:stay|be|think) positive|it could be (?:so much )?worse|at least you|good vibes only|others have it (?:much )?worse|just cheer up|snap out of it|don't be sad|it's not that bad)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ToxicPositivityRegex();

    [GeneratedRegex(@"\b(?:i (?:will|'ll|promise(?: to)?) (?:keep (?:this|it|that) (?:a )?secret|never tell anyone|not tell anyone)|(?:this|it) (?:will )?stays? between us|your secret is safe)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SecrecyRegex();

    [GeneratedRegex(@"\b(?:i(?: am|'m) (?:a )?(?:real )?(?:human|person)(?! being an ai)|i(?: am|'m) not (?:an? )?(?:ai|bot|robot|machine|chatbot))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex HumanClaimRegex();

}
