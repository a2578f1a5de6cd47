using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>Builds new messages with rewritten text, never mutating the originals.</summary>
internal static class ChatContentRewriter
{
    /// <summary>Returns a copy of <paramref name="message"/> whose text contents are rewritten.</summary>
    public static async ValueTask<ChatMessage> RewriteAsync(ChatMessage message, Func<string, ValueTask<string>> rewrite)
    {
        var contents = new List<AIContent>(message.Contents.Count);
        foreach (AIContent content in message.Contents)
        {
            contents.Add(content is TextContent text ? new TextContent(await rewrite(text.Text ?? string.Empty).ConfigureAwait(false)) : content);
        }

        return new ChatMessage(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties,
        };
    }
}
