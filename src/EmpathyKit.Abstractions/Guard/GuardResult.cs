namespace EmpathyKit;

/// <summary>The verdict of an output guard on a reply.</summary>
/// <param name="Passed">Whether the reply may be shown.</param>
/// <param name="Violations">The reasons it may not (see <see cref="GuardViolations"/>); empty when it passed.</param>
public sealed record GuardResult(bool Passed, IReadOnlyList<string> Violations)
{
    /// <summary>Gets a passing verdict.</summary>
    public static GuardResult Pass { get; } = new(true, []);
}
