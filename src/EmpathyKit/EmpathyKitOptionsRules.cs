using Microsoft.Extensions.Options;

namespace EmpathyKit;

/// <summary>Validates the rules of <see cref="EmpathyKitOptions"/> that span properties or enumerations, with clear messages.</summary>
internal sealed class EmpathyKitOptionsRules : IValidateOptions<EmpathyKitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EmpathyKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Crisis.ShortCircuitLevel) || options.Crisis.ShortCircuitLevel < RiskLevel.Moderate)
        {
            failures.Add("EmpathyKit:Crisis:ShortCircuitLevel must be Moderate, High or Imminent: a lower level would answer ordinary distress with a crisis reply, and none would disable the safety net.");
        }

        if (!Enum.IsDefined(options.EscalationLevel) || options.EscalationLevel < RiskLevel.Moderate)
        {
            failures.Add("EmpathyKit:EscalationLevel must be Moderate, High or Imminent.");
        }

        foreach ((string key, string template) in new[]
        {
            ("Crisis:SelfRiskReply", options.Crisis.SelfRiskReply),
            ("Crisis:MedicalReply", options.Crisis.MedicalReply),
            ("Crisis:AbuseReply", options.Crisis.AbuseReply),
            ("Crisis:HarmOthersReply", options.Crisis.HarmOthersReply),
        })
        {
            if (string.IsNullOrWhiteSpace(template) || !template.Contains("{emergency}", StringComparison.Ordinal) || !template.Contains("{line}", StringComparison.Ordinal))
            {
                failures.Add($"EmpathyKit:{key} must contain the {{line}} and {{emergency}} placeholders so every crisis reply names a crisis line and the emergency number.");
            }
        }

        EscalationOptions escalations = options.Escalations;
        if (escalations.MaxRetryDelay < escalations.FirstRetryDelay)
        {
            failures.Add("EmpathyKit:Escalations:MaxRetryDelay must be at least FirstRetryDelay.");
        }

        if (escalations.LeaseDuration <= (escalations.AttemptTimeout * (escalations.QuickRetries + 1)) + (escalations.QuickRetryDelay * ((1 << escalations.QuickRetries) - 1) * 2))
        {
            failures.Add("EmpathyKit:Escalations:LeaseDuration must be longer than a whole delivery run (AttemptTimeout for each call, quick retries and their delays), or a slow run would be taken over by another worker while it runs.");
        }

        if (options.Transcripts.MasterKeyRollAhead >= options.Transcripts.MasterKeyLifetime)
        {
            failures.Add("EmpathyKit:Transcripts:MasterKeyRollAhead must be shorter than MasterKeyLifetime, or every key would roll as soon as it is made.");
        }

        if (!Enum.IsDefined(options.Transcripts.QueueFullMode))
        {
            failures.Add("EmpathyKit:Transcripts:QueueFullMode must be Wait or Reject.");
        }

        bool pseudonyms = options.Pii.Operator == PiiOperator.Pseudonym || options.Pii.Operators.Values.Contains(PiiOperator.Pseudonym);
        if (pseudonyms)
        {
            try
            {
                _ = PiiOptions.DecodePseudonymKey(options.Pii.PseudonymKey);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                failures.Add("EmpathyKit:Pii:PseudonymKey must be a base64 key of at least 256 bits when the Pseudonym operator is used.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
