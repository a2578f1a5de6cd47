using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>A callback-based provider: records what it was sent and answers with a scripted reply, streamed in chunks.</summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, string> _reply;

    public FakeChatClient(Func<IReadOnlyList<ChatMessage>, string> reply, int chunkSize = 7)
    {
        _reply = reply;
        ChunkSize = chunkSize;
    }

    public FakeChatClient(string reply, int chunkSize = 7)
        : this(_ => reply, chunkSize)
    {
    }

    public int ChunkSize { get; }

    public int Calls { get; private set; }

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    /// <summary>Gets the options each request came with, in the order of <see cref="Requests"/>.</summary>
    public List<ChatOptions?> Options { get; } = [];

    public Exception? Throw { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string reply = Answer(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { FinishReason = ChatFinishReason.Stop });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string reply = Answer(messages, options);
        for (int i = 0; i < reply.Length; i += ChunkSize)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Substring(i, Math.Min(ChunkSize, reply.Length - i)));
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private string Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        List<ChatMessage> list = [.. messages];

        // A pipeline with a model second opinion calls the provider twice, concurrently.
        lock (Requests)
        {
            Calls++;
            Requests.Add(list);
            Options.Add(options);
        }

        if (Throw is not null)
        {
            throw Throw;
        }

        return _reply(list);
    }
}
