using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>Options of the built-in output guard and empathy scorer (configuration section <c>EmpathyKit:Guard</c>).</summary>
public sealed class GuardOptions
{
    /// <summary>The default of <see cref="AdviceFreeTurns"/>.</summary>
    public const int DefaultAdviceFreeTurns = 2;

    /// <summary>
    /// Gets or sets how many first user turns must get no advice ("you should", "have you tried") unless the user asks
    /// for it; a reply that gives it is replaced. Explore and reflect first.
    /// </summary>
    /// <value>Default: 2. Between 0 (never checked) and 50.</value>
    [Range(0, 50)]
    public int AdviceFreeTurns { get; set; } = DefaultAdviceFreeTurns;

    /// <summary>Gets or sets whether each reply is scored for empathy (<see cref="TurnReport.Empathy"/> and the <c>empathykit.reply.empathy</c> metric).</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ScoreReplies { get; set; } = true;
}
