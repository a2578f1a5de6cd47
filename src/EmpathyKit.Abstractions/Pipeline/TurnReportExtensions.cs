using Microsoft.Extensions.AI;

namespace EmpathyKit;

/// <summary>Typed access to the <see cref="TurnReport"/> on chat options, responses and streaming updates.</summary>
public static class TurnReportExtensions
{
    /// <summary>The additional-properties key under which the report travels. Hosts use the typed accessors instead.</summary>
    internal const string PropertyKey = "EmpathyKit.TurnReport";

    /// <summary>Gets the turn report attached to chat options, if any.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    public static TurnReport? GetTurnReport(this ChatOptions? options) =>
        Read(options?.AdditionalProperties);

    /// <summary>Attaches a turn report to chat options (which the caller owns).</summary>
    /// <param name="options">The options to annotate.</param>
    /// <param name="report">The report.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions SetTurnReport(this ChatOptions options, TurnReport report)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        (options.AdditionalProperties ??= [])[PropertyKey] = report;
        return options;
    }

    /// <summary>Gets the turn report returned with a response, if any.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    public static TurnReport? GetTurnReport(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.AdditionalProperties);
    }

    /// <summary>Attaches a turn report to a response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="report">The report.</param>
    /// <returns>The same response, for chaining.</returns>
    public static ChatResponse SetTurnReport(this ChatResponse response, TurnReport report)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(report);
        (response.AdditionalProperties ??= [])[PropertyKey] = report;
        return response;
    }

    /// <summary>Gets the turn report carried by a streaming update (the pipeline attaches it to its last update).</summary>
    /// <param name="update">The update.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    public static TurnReport? GetTurnReport(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    /// <summary>Attaches a turn report to a streaming update.</summary>
    /// <param name="update">The update.</param>
    /// <param name="report">The report.</param>
    /// <returns>The same update, for chaining.</returns>
    public static ChatResponseUpdate SetTurnReport(this ChatResponseUpdate update, TurnReport report)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(report);
        (update.AdditionalProperties ??= [])[PropertyKey] = report;
        return update;
    }

    /// <summary>
    /// Gets the turn report carried by a message: the pipeline attaches it to the last message of its response, so it
    /// reaches hosts that see messages rather than responses (Semantic Kernel's <c>ChatMessageContent.Metadata</c>, the
    /// Agent Framework's messages).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    public static TurnReport? GetTurnReport(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Read(message.AdditionalProperties);
    }

    /// <summary>Attaches a turn report to a message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="report">The report.</param>
    /// <returns>The same message, for chaining.</returns>
    public static ChatMessage SetTurnReport(this ChatMessage message, TurnReport report)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(report);
        (message.AdditionalProperties ??= [])[PropertyKey] = report;
        return message;
    }

    private static TurnReport? Read(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(PropertyKey, out object? value) ? value as TurnReport : null;
}
