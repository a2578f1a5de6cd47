using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EmpathyKit.Handoff;

/// <summary>
/// A pipeline's in-process feeds: notices for each conversation's user side (<see cref="IConversationNotices"/>) and
/// events for operator consoles. Each watcher has its own bounded buffer; a slow watcher loses its oldest items, never
/// blocks a turn or an operator.
/// </summary>
internal sealed class HandoffHub : IConversationNotices
{
    internal const int NoticeBuffer = 256;
    internal const int EventBuffer = 1_024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Channel<ConversationNotice>>> _notices = new(StringComparer.Ordinal);
    private readonly List<Channel<OperatorEvent>> _events = [];

    /// <inheritdoc />
    public IAsyncEnumerable<ConversationNotice> WatchAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(conversationId, nameof(conversationId));

        // Subscribed now, not at the first MoveNext, so a notice published right after this call is not missed.
        Channel<ConversationNotice> channel = Channel.CreateBounded<ConversationNotice>(new BoundedChannelOptions(NoticeBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (!_notices.TryGetValue(conversationId, out List<Channel<ConversationNotice>>? list))
            {
                _notices[conversationId] = list = [];
            }

            list.Add(channel);
        }

        return Read(channel, () => Unsubscribe(conversationId, channel), cancellationToken);
    }

    /// <summary>Streams operator events from now on.</summary>
    public IAsyncEnumerable<OperatorEvent> WatchOperatorsAsync(CancellationToken cancellationToken)
    {
        Channel<OperatorEvent> channel = Channel.CreateBounded<OperatorEvent>(new BoundedChannelOptions(EventBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _events.Add(channel);
        }

        return Read(
            channel,
            () =>
            {
                lock (_gate)
                {
                    _events.Remove(channel);
                }
            },
            cancellationToken);
    }

    public void Publish(ConversationNotice notice)
    {
        lock (_gate)
        {
            if (_notices.TryGetValue(notice.ConversationId, out List<Channel<ConversationNotice>>? list))
            {
                foreach (Channel<ConversationNotice> channel in list)
                {
                    channel.Writer.TryWrite(notice);
                }
            }
        }
    }

    public void Publish(OperatorEvent operatorEvent)
    {
        lock (_gate)
        {
            foreach (Channel<OperatorEvent> channel in _events)
            {
                channel.Writer.TryWrite(operatorEvent);
            }
        }
    }

    private static async IAsyncEnumerable<T> Read<T>(Channel<T> channel, Action unsubscribe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The watcher stopped: the stream ends quietly.
                    yield break;
                }

                while (channel.Reader.TryRead(out T? item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            unsubscribe();
        }
    }

    private void Unsubscribe(string conversationId, Channel<ConversationNotice> channel)
    {
        lock (_gate)
        {
            if (_notices.TryGetValue(conversationId, out List<Channel<ConversationNotice>>? list) && list.Remove(channel) && list.Count == 0)
            {
                _notices.Remove(conversationId);
            }
        }
    }
}
