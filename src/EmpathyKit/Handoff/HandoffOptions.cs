using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>
/// Human hand-over (<c>EmpathyKit:Handoff</c>): whether a user who asks for a person is offered one, and the texts the
/// user is shown when a person is asked for, joins, hands back or closes. Placeholders: <c>{name}</c> (the operator's
/// display name), <c>{line}</c> and <c>{emergency}</c> (the conversation's crisis lines and emergency number).
/// </summary>
public sealed class HandoffOptions
{
    /// <summary>
    /// Gets or sets whether people on the host's team can take conversations over, so a request for a person is passed
    /// to them. Default <see langword="true"/>; a host without operators sets it off, and a request for a person is then
    /// answered with <see cref="UnavailableReply"/>.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the reply to a request for a person (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string OfferReply { get; set; } =
        "Of course. I've asked for a person from our team to join this conversation; they'll be able to read what you've written here. While you wait, I'm still here with you. If you are in danger right now, please call {emergency} or contact {line}.";

    /// <summary>Gets or sets the reply to a second request while the first is open (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string AlreadyRequestedReply { get; set; } =
        "I've already asked for a person to join, and they'll be with you as soon as they can. I'm still here in the meantime. If you are in danger right now, please call {emergency} or contact {line}.";

    /// <summary>Gets or sets the reply to a request for a person when <see cref="Enabled"/> is off (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string UnavailableReply { get; set; } =
        "I'm a support bot, and there isn't a person who can join this chat. If you'd like to talk to someone now, you can contact {line}, and if you are in danger, please call {emergency}.";

    /// <summary>
    /// Gets or sets what the user is shown for a message at the crisis short-circuit level while an operator holds the
    /// conversation: the bot does not answer, but the crisis lines are never left out (1 to 1,000 characters).
    /// </summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string RelayedCrisisNotice { get; set; } =
        "{name} has your message. If you are in danger right now, please call {emergency} now, or contact {line}.";

    /// <summary>Gets or sets what the user is shown when an operator takes the conversation over (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string JoinedNotice { get; set; } = "You are now talking with {name}, a person from our team.";

    /// <summary>Gets or sets what the user is shown when the operator hands the conversation back (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string HandedBackNotice { get; set; } = "{name} has left the conversation. You're talking with the support bot again.";

    /// <summary>Gets or sets what the user is shown when the operator closes the conversation (1 to 1,000 characters).</summary>
    [Required]
    [StringLength(1_000, MinimumLength = 1)]
    public string ClosedNotice { get; set; } = "{name} has closed this conversation. If you write again, the support bot will answer, and you can ask for a person at any time.";
}
