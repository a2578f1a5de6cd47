using EmpathyKit.Text;

namespace EmpathyKit.Guard;

/// <summary>
/// The built-in output guard. It blocks means or method information, diagnosing, medication doses and advice, toxic
/// positivity and minimising, unsolicited advice in the first turns, promises of secrecy, claims to be human (or a
/// clinician, or to have lived experience), fostering dependence, stigmatising language, colluding with a persecutory
/// premise, and placeholders the provider was never given (see <see cref="ReplyPatterns"/>).
/// </summary>
/// <remarks>Pure and thread-safe. A regex timeout throws, and the guard stage fails closed.</remarks>
internal sealed class PatternOutputGuard : IOutputGuard
{
    private readonly int _adviceFreeTurns;

    /// <summary>Warms the patterns once when the first guard is created, so the first reply checked does not pay for it.</summary>
    static PatternOutputGuard() => ReplyPatterns.Warm();

    /// <summary>Initializes the guard.</summary>
    /// <param name="adviceFreeTurns">How many first user turns must get no advice unless the user asks for it.</param>
    public PatternOutputGuard(int adviceFreeTurns = GuardOptions.DefaultAdviceFreeTurns)
    {
        _adviceFreeTurns = adviceFreeTurns;
    }

    /// <inheritdoc />
    public ValueTask<GuardResult> CheckAsync(string text, GuardContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Check(text, context));
    }

    /// <summary>Checks a text synchronously.</summary>
    /// <param name="text">The text.</param>
    /// <param name="context">What is known of the turn; <see langword="null"/> checks as a later turn with nothing known.</param>
    /// <returns>The verdict.</returns>
    public GuardResult Check(string text, GuardContext? context = null)
    {
        var found = new List<string>(0);
        ReplyPatterns.FindViolations(text, context ?? LaterTurn, _adviceFreeTurns, found);
        return found.Count == 0 ? GuardResult.Pass : new GuardResult(false, found);
    }

    private static readonly GuardContext LaterTurn = new(int.MaxValue, RiskLevel.None);
}
