using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>
/// Builds new messages and contents with rewritten text, never mutating the originals. The text of a message is its
/// text contents, the results of the tool calls it carries, and the string arguments of the calls it makes: each goes
/// through the same rewrite, so nothing a tool returned or a call carries passes unredacted.
/// </summary>
internal static class ChatContentRewriter
{
    /// <summary>Returns a copy of <paramref name="message"/> whose text, tool results and call arguments are rewritten.</summary>
    public static async ValueTask<ChatMessage> RewriteAsync(ChatMessage message, Func<string, ValueTask<string>> rewrite)
    {
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (AIContent content in message.Contents)
        {
            contents.Add(content switch
            {
                TextContent text => new TextContent(await rewrite(text.Text ?? string.Empty).ConfigureAwait(false)),
                FunctionResultContent result => await RewriteResultAsync(result, rewrite).ConfigureAwait(false),
                FunctionCallContent call => await RewriteCallAsync(call, rewrite).ConfigureAwait(false),
                _ => content,
            });
        }

        return new ChatMessage(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties,
        };
    }

    /// <summary>
    /// Returns a copy of a tool's result with its text rewritten: a string result as it is, any other value as its JSON
    /// (what a provider would send the model); a null result is kept.
    /// </summary>
    public static async ValueTask<AIContent> RewriteResultAsync(FunctionResultContent result, Func<string, ValueTask<string>> rewrite)
    {
        if (result.Result is null)
        {
            return result;
        }

        string text = result.Result as string ?? JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.Result.GetType()));
        return new FunctionResultContent(result.CallId, await rewrite(text).ConfigureAwait(false))
        {
            AdditionalProperties = result.AdditionalProperties,
        };
    }

    /// <summary>
    /// Returns a copy of a function call with its arguments' text rewritten: string values as they are, structured values
    /// as their JSON (parsed back when the rewrite keeps it JSON); numbers, booleans and nulls are kept.
    /// </summary>
    public static async ValueTask<AIContent> RewriteCallAsync(FunctionCallContent call, Func<string, ValueTask<string>> rewrite)
    {
        if (call.Arguments is not { Count: > 0 } arguments)
        {
            return call;
        }

        var rewritten = new Dictionary<string, object?>(arguments.Count, StringComparer.Ordinal);
        foreach ((string name, object? value) in arguments)
        {
            rewritten[name] = value switch
            {
                null or bool or int or long or double or float or decimal => value,
                string text => await rewrite(text).ConfigureAwait(false),
                JsonElement { ValueKind: JsonValueKind.String } element => await rewrite(element.GetString() ?? string.Empty).ConfigureAwait(false),
                JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null } => value,
                _ => await RewriteJsonAsync(value, rewrite).ConfigureAwait(false),
            };
        }

        return new FunctionCallContent(call.CallId, call.Name, rewritten)
        {
            AdditionalProperties = call.AdditionalProperties,
            Exception = call.Exception,
        };
    }

    private static async ValueTask<object?> RewriteJsonAsync(object value, Func<string, ValueTask<string>> rewrite)
    {
        string json = value is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        string result = await rewrite(json).ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(result);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // The rewrite no longer parses as JSON: pass its text on rather than the original.
            return result;
        }
    }
}
