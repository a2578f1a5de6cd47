namespace EmpathyKit.Escalation.Storage;

/// <summary>
/// Keeps conversations' control states (<see cref="ConversationControlState"/>: ids, state, operator; never text) beside
/// the escalation outbox, in the same database: the built-in SQLite, PostgreSQL and in-memory outbox stores implement it.
/// </summary>
/// <remarks>
/// Changes use optimistic concurrency: <see cref="TrySetControlAsync"/> writes only over the version the caller read, so
/// two operators taking the same conversation at once cannot both win, whatever host each is on.
/// </remarks>
public interface IConversationControlStore
{
    /// <summary>Reads a conversation's state, or <see langword="null"/> when none was stored.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, with its <see cref="ConversationControlState.Version"/>.</returns>
    ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="state"/> as version <paramref name="expectedVersion"/> + 1 if the stored version is still
    /// <paramref name="expectedVersion"/> (0: no row yet).
    /// </summary>
    /// <param name="state">The new state (its own <see cref="ConversationControlState.Version"/> is ignored).</param>
    /// <param name="expectedVersion">The version it replaces.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was stored; <see langword="false"/> when another change came first.</returns>
    ValueTask<bool> TrySetControlAsync(ConversationControlState state, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lists the states that are not <see cref="ConversationControl.Bot"/> or <see cref="ConversationControl.Closed"/>, or that are assigned, newest change first.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The states.</returns>
    ValueTask<IReadOnlyList<ConversationControlState>> ListActiveControlAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored state, closed ones included, in conversation-id order after <paramref name="afterConversationId"/> (for exports that page through them).</summary>
    /// <param name="afterConversationId">Start after this id; <see langword="null"/> from the first.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The states.</returns>
    ValueTask<IReadOnlyList<ConversationControlState>> ListControlAsync(string? afterConversationId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the control states of conversations of <paramref name="tenant"/> whose subject was erased (operator ids, outcome and all).</summary>
    /// <param name="tenant">The tenant the conversations belong to; a state of another tenant with the same id is left.</param>
    /// <param name="conversationIds">The conversations (at most <see cref="IEscalationStore.MaxErasureBatch"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many states were deleted.</returns>
    ValueTask<int> EraseControlAsync(string tenant, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default);
}
