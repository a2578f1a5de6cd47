namespace EmpathyKit;

/// <summary>Checks a reply before the user sees it.</summary>
/// <remarks>
/// Checks run on whole sentences so the streaming and non-streaming paths reach the same verdict.
/// A guard that throws is treated as a failed check (fail closed).
/// </remarks>
public interface IOutputGuard
{
    /// <summary>Checks one sentence (or a whole reply) of the bot.</summary>
    /// <param name="text">The reply text to check.</param>
    /// <param name="context">What is known of the turn.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict.</returns>
    ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default);
}
