using Microsoft.Extensions.AI;

namespace EmpathyKit.Handoff;

/// <summary>
/// What the control stage tells the crisis stage about a turn: the conversation is held by an operator (assess, then
/// relay: the bot does not answer), or the user asked for a person (assess, then answer with the hand-over reply unless
/// the crisis reply takes precedence). Travels on the chat options; only the library can make one.
/// </summary>
internal sealed class HandoffTurn
{
    private const string PropertyKey = "EmpathyKit.HandoffTurn";

    private HandoffTurn(bool relay, string template, ReplySource source)
    {
        Relay = relay;
        Template = template;
        Source = source;
    }

    /// <summary>Gets whether an operator holds the conversation (the crisis reply never replaces the relay).</summary>
    public bool Relay { get; }

    /// <summary>Gets the text's template: the answer, or for a relay the notice at the short-circuit level (<c>{line}</c>, <c>{emergency}</c> still to fill).</summary>
    public string Template { get; }

    /// <summary>Gets the reply's source.</summary>
    public ReplySource Source { get; }

    public static HandoffTurn ForRelay(string crisisNotice) => new(relay: true, crisisNotice, ReplySource.RelayedToOperator);

    public static HandoffTurn ForAnswer(string answer) => new(relay: false, answer, ReplySource.HumanRequested);

    public static void Set(ChatOptions options, HandoffTurn turn) => (options.AdditionalProperties ??= [])[PropertyKey] = turn;

    public static HandoffTurn? Get(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyKey, out object? value) == true ? value as HandoffTurn : null;
}
