using Microsoft.Extensions.AI;

namespace EmpathyKit.Pipeline;

/// <summary>Builds new messages, responses and updates with rewritten text, never mutating the originals.</summary>
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

    /// <summary>Returns a copy of <paramref name="response"/> with one assistant message holding <paramref name="text"/>, keeping its metadata.</summary>
    public static ChatResponse WithText(ChatResponse response, string text, ChatFinishReason? finishReason = null) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = finishReason ?? response.FinishReason,
            Usage = response.Usage,
            AdditionalProperties = response.AdditionalProperties,
        };

    /// <summary>Returns a copy of <paramref name="update"/> whose text is <paramref name="text"/> and whose other contents are kept.</summary>
    public static ChatResponseUpdate WithText(ChatResponseUpdate update, string text)
    {
        var contents = new List<AIContent>(update.Contents.Count + 1);
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        contents.AddRange(update.Contents.Where(c => c is not TextContent));
        return new ChatResponseUpdate(update.Role ?? ChatRole.Assistant, contents)
        {
            ResponseId = update.ResponseId,
            MessageId = update.MessageId,
            ConversationId = update.ConversationId,
            ModelId = update.ModelId,
            CreatedAt = update.CreatedAt,
            FinishReason = update.FinishReason,
            AuthorName = update.AuthorName,
            AdditionalProperties = update.AdditionalProperties,
        };
    }
}
