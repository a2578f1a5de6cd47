namespace EmpathyKit;

/// <summary>Names of the reasons an output guard rejects a reply, reported in <see cref="GuardResult.Violations"/>.</summary>
public static class GuardViolations
{
    /// <summary>The reply gives means or method information.</summary>
    public const string MeansOrMethod = "means_or_method";

    /// <summary>The reply names a diagnosis for the user.</summary>
    public const string Diagnosis = "diagnosis";

    /// <summary>The reply names a medication with a dose.</summary>
    public const string MedicationDose = "medication_dose";

    /// <summary>The reply dismisses the feeling with forced positivity.</summary>
    public const string ToxicPositivity = "toxic_positivity";

    /// <summary>The reply promises to keep a secret.</summary>
    public const string SecrecyPromise = "secrecy_promise";

    /// <summary>The reply claims to be a human.</summary>
    public const string ClaimsHuman = "claims_human";

    /// <summary>The reply contains a redaction placeholder that could not be turned back into a value.</summary>
    public const string LeakedPlaceholder = "leaked_placeholder";

    /// <summary>The guard failed; the reply was replaced by the fail-closed rule.</summary>
    public const string GuardError = "guard_error";
}
