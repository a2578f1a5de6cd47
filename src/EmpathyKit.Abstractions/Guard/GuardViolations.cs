namespace EmpathyKit;

/// <summary>Names of the reasons an output guard rejects a reply, reported in <see cref="GuardResult.Violations"/>.</summary>
public static class GuardViolations
{
    /// <summary>The reply gives means or method information.</summary>
    public const string MeansOrMethod = "means_or_method";

    /// <summary>The reply names a diagnosis for the user.</summary>
    public const string Diagnosis = "diagnosis";

    /// <summary>The reply names a dose, or tells the user to take, start, stop or change a named medication.</summary>
    public const string MedicationDose = "medication_dose";

    /// <summary>The reply dismisses the feeling with forced positivity.</summary>
    public const string ToxicPositivity = "toxic_positivity";

    /// <summary>The reply minimises the feeling ("you're overreacting", "it's not a big deal", "everyone feels that way").</summary>
    public const string Minimising = "minimising";

    /// <summary>The reply gives advice in the first turns, before exploring, when the user did not ask for it.</summary>
    public const string UnsolicitedAdvice = "unsolicited_advice";

    /// <summary>The reply fosters dependence on the bot ("only I understand you", "you don't need anyone else").</summary>
    public const string Dependence = "dependence";

    /// <summary>The reply uses stigmatising language about mental illness or suicide ("psycho", "committed suicide").</summary>
    public const string Stigma = "stigma";

    /// <summary>The reply affirms a persecutory or delusional premise ("yes, they are watching you").</summary>
    public const string Collusion = "collusion";

    /// <summary>The reply promises to keep a secret.</summary>
    public const string SecrecyPromise = "secrecy_promise";

    /// <summary>The reply claims to be a human.</summary>
    public const string ClaimsHuman = "claims_human";

    /// <summary>The reply contains a redaction placeholder that could not be turned back into a value.</summary>
    public const string LeakedPlaceholder = "leaked_placeholder";

    /// <summary>The guard failed; the reply was replaced by the fail-closed rule.</summary>
    public const string GuardError = "guard_error";
}
