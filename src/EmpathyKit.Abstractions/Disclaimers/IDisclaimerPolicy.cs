namespace EmpathyKit;

/// <summary>Decides which disclaimers a reply carries.</summary>
/// <remarks>Disclaimers fail open: if a policy throws, the reply is still shown and the failure is logged.</remarks>
public interface IDisclaimerPolicy
{
    /// <summary>Selects the disclaimers for a turn.</summary>
    /// <param name="context">What is known of the turn.</param>
    /// <returns>The disclaimers to add, in display order; empty for none.</returns>
    IReadOnlyList<Disclaimer> Select(DisclaimerContext context);
}
