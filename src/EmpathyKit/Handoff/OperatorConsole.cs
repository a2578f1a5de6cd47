using System.Runtime.CompilerServices;
using EmpathyKit.Diagnostics;
using EmpathyKit.Escalation.Storage;
using EmpathyKit.Text;
using EmpathyKit.Transcripts;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Handoff;

/// <summary>A pipeline's operator console (see <see cref="IOperatorConsole"/>), over its control store, its outbox and its transcripts.</summary>
internal sealed class OperatorConsole : IOperatorConsole
{
    /// <summary>How many open escalations the queue and a claim read (the outbox's own list limit).</summary>
    internal const int OpenEscalationsRead = 1_000;

    private readonly IConversationControlStore _controls;
    private readonly IEscalationStore _escalations;
    private readonly TranscriptVault _vault;
    private readonly IPiiRedactor _redactor;
    private readonly HandoffHub _hub;
    private readonly EmpathyKitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OperatorConsole(IConversationControlStore controls, IEscalationStore escalations, TranscriptVault vault, IPiiRedactor redactor, HandoffHub hub, EmpathyKitOptions options, TimeProvider time, ILogger logger)
    {
        _controls = controls;
        _escalations = escalations;
        _vault = vault;
        _redactor = redactor;
        _hub = hub;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OperatorQueueItem>> GetQueueAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckLimit(limit);
        IReadOnlyList<EscalationEntry> open = await _escalations.ListAsync(openOnly: true, OpenEscalationsRead, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ConversationControlState> active = await _controls.ListActiveControlAsync(OpenEscalationsRead, cancellationToken).ConfigureAwait(false);
        Dictionary<string, ConversationControlState> controls = active.ToDictionary(c => c.ConversationId, StringComparer.Ordinal);
        var items = new List<OperatorQueueItem>();
        foreach (IGrouping<string, EscalationEntry> conversation in open.Where(e => e.ErasureRequestedAt is null).GroupBy(e => e.ConversationId, StringComparer.Ordinal))
        {
            EscalationEntry newest = conversation.MaxBy(e => e.OccurredAt)!;
            EscalationEntry highest = conversation.OrderByDescending(e => e.Assessment.Level).ThenByDescending(e => e.OccurredAt).First();
            controls.Remove(conversation.Key, out ConversationControlState? control);
            items.Add(new OperatorQueueItem(conversation.Key, OperatorQueueReason.Escalation, conversation.Min(e => e.OccurredAt), control?.Control ?? ConversationControl.Bot)
            {
                Assessment = highest.Assessment,
                EscalationId = newest.EscalationId,
                EscalationStatus = newest.Status,
                AssignedTo = control?.AssignedTo ?? newest.AcknowledgedBy,
            });
        }

        foreach (ConversationControlState control in controls.Values)
        {
            if (control.Control is ConversationControl.HumanRequested or ConversationControl.Human)
            {
                items.Add(new OperatorQueueItem(control.ConversationId, OperatorQueueReason.HumanRequested, control.RequestedAt ?? control.ChangedAt, control.Control) { AssignedTo = control.AssignedTo });
            }
        }

        return [.. items.OrderByDescending(i => i.Level).ThenBy(i => i.Since).ThenBy(i => i.ConversationId, StringComparer.Ordinal).Take(limit)];
    }

    /// <inheritdoc />
    public ValueTask<ConversationControlState?> GetControlAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        EscalationRows.CheckId(conversationId, nameof(conversationId));
        return _controls.GetControlAsync(conversationId, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ConversationControlState> ClaimAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        EscalationRows.CheckId(conversationId, nameof(conversationId));
        ConversationControlState? state = await _controls.GetControlAsync(conversationId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<EscalationEntry> open = await OpenEscalationsAsync(conversationId, cancellationToken).ConfigureAwait(false);

        // A closed conversation belongs to nobody: one that escalates or asks for a person again is claimed afresh.
        string? holder = state?.Control == ConversationControl.Closed ? null : state?.AssignedTo;
        if (holder is not null && !string.Equals(holder, @operator.Id, StringComparison.Ordinal))
        {
            throw new ConversationControlException("Another operator has this conversation.");
        }

        if (holder is null)
        {
            if (open.Count == 0 && state?.Control != ConversationControl.HumanRequested)
            {
                throw new ConversationControlException("The conversation is not on the queue: it has no open escalation and no request for a person.");
            }

            DateTimeOffset now = _time.GetUtcNow();
            ConversationControlState claimed = (state ?? new ConversationControlState(conversationId, TranscriptAddress.DefaultTenant, ConversationControl.Bot, now)) with
            {
                Control = state?.Control == ConversationControl.Closed ? ConversationControl.Bot : state?.Control ?? ConversationControl.Bot,
                AssignedTo = @operator.Id,
                OperatorName = @operator.DisplayName,
                ChangedAt = now,
                Outcome = null,
            };

            state = await ChangeAsync(state, claimed, cancellationToken).ConfigureAwait(false);
            await _vault.AuditForOperatorAsync(AuditKinds.OperatorClaim, @operator.Id, state.Tenant, conversationId, AuditDetail.Of(("escalations", open.Count)), cancellationToken).ConfigureAwait(false);
            Publish(OperatorEventKind.ControlChanged, state);
        }

        foreach (EscalationEntry escalation in open.Where(e => e.AcknowledgedAt is null))
        {
            await _escalations.AcknowledgeAsync(escalation.EscalationId, @operator.Id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return state!;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TranscriptEntry>> ReadConversationAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default)
    {
        ConversationControlState state = await AssignedAsync(@operator, conversationId, cancellationToken).ConfigureAwait(false);
        return await _vault.ReadForOperatorAsync(state.Tenant, conversationId, @operator.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ConversationControlState> TakeOverAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        EscalationRows.CheckId(conversationId, nameof(conversationId));
        ConversationControlState? state = await _controls.GetControlAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (state is { Control: not ConversationControl.Closed, AssignedTo: { } holder } && !string.Equals(holder, @operator.Id, StringComparison.Ordinal))
        {
            await DenyAsync(@operator, state, "takeover", cancellationToken).ConfigureAwait(false);
        }

        if (state?.AssignedTo is null || state.Control == ConversationControl.Closed)
        {
            state = await ClaimAsync(@operator, conversationId, cancellationToken).ConfigureAwait(false);
        }

        if (state.Control == ConversationControl.Human)
        {
            return state;
        }

        ConversationControlState held = await ChangeAsync(state, state with { Control = ConversationControl.Human, OperatorName = @operator.DisplayName, ChangedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await _vault.AuditForOperatorAsync(AuditKinds.OperatorTakeOver, @operator.Id, held.Tenant, conversationId, AuditDetail.Of(("from", ControlName(state.Control))), cancellationToken).ConfigureAwait(false);
        Notify(ConversationNoticeKind.OperatorJoined, held, _options.Handoff.JoinedNotice);
        Publish(OperatorEventKind.ControlChanged, held);
        return held;
    }

    /// <inheritdoc />
    public async ValueTask<TranscriptEntry> ReplyAsync(OperatorIdentity @operator, string conversationId, string text, CancellationToken cancellationToken = default)
    {
        string reply = InputSanitizer.Sanitize(text ?? string.Empty, out _);
        if (reply.Length == 0 || reply.Length > _options.MaxMessageLength)
        {
            throw new ArgumentException($"An operator's reply is 1 to {_options.MaxMessageLength:N0} characters.", nameof(text));
        }

        ConversationControlState state = await HeldAsync(@operator, conversationId, "reply", cancellationToken).ConfigureAwait(false);
        (string stored, bool redacted) = _options.StoreOriginalText ? (reply, false) : await RedactOrKeepAsync(conversationId, reply).ConfigureAwait(false);
        var entry = new TranscriptEntry(TranscriptRole.Operator, stored, _time.GetUtcNow(), RiskLevel.None, []) { IsRedacted = redacted, AuthorId = @operator.Id };

        // Durable before the user sees it: the transcript is the record of what a person told them.
        TranscriptWriteReceipt receipt = await _vault.AppendForOperatorAsync(state.Tenant, conversationId, [entry], cancellationToken).ConfigureAwait(false);
        await receipt.Durable.ConfigureAwait(false);
        await _vault.AuditForOperatorAsync(AuditKinds.OperatorReply, @operator.Id, state.Tenant, conversationId, AuditDetail.Of(("redacted", redacted)), CancellationToken.None).ConfigureAwait(false);
        _hub.Publish(new ConversationNotice(ConversationNoticeKind.OperatorMessage, conversationId, reply, @operator.DisplayName, entry.CreatedAt));
        return entry;
    }

    /// <inheritdoc />
    public async ValueTask<ConversationControlState> HandBackAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken = default)
    {
        ConversationControlState state = await HeldAsync(@operator, conversationId, "handback", cancellationToken).ConfigureAwait(false);
        ConversationControlState back = await ChangeAsync(state, state with { Control = ConversationControl.Bot, RequestedAt = null, ChangedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await _vault.AuditForOperatorAsync(AuditKinds.OperatorHandBack, @operator.Id, back.Tenant, conversationId, AuditDetail.Of(), cancellationToken).ConfigureAwait(false);
        Notify(ConversationNoticeKind.HandedBack, state, _options.Handoff.HandedBackNotice);
        Publish(OperatorEventKind.ControlChanged, back);
        return back;
    }

    /// <inheritdoc />
    public async ValueTask<ConversationControlState> CloseAsync(OperatorIdentity @operator, string conversationId, string outcome, CancellationToken cancellationToken = default)
    {
        EscalationOutbox.CheckOutcome(outcome);
        ConversationControlState state = await AssignedAsync(@operator, conversationId, cancellationToken).ConfigureAwait(false);
        if (state.Control == ConversationControl.Closed)
        {
            throw new ConversationControlException("The conversation is already closed.");
        }

        ConversationControlState closed = await ChangeAsync(
            state,
            state with { Control = ConversationControl.Closed, Outcome = outcome, RequestedAt = null, ChangedAt = _time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);
        int resolved = 0;
        foreach (EscalationEntry escalation in await OpenEscalationsAsync(conversationId, cancellationToken).ConfigureAwait(false))
        {
            resolved += await _escalations.ResolveAsync(escalation.EscalationId, @operator.Id, outcome, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        await _vault.AuditForOperatorAsync(AuditKinds.OperatorClose, @operator.Id, closed.Tenant, conversationId, AuditDetail.Of(("outcome", outcome), ("escalations_resolved", resolved)), cancellationToken).ConfigureAwait(false);
        if (state.Control == ConversationControl.Human)
        {
            Notify(ConversationNoticeKind.Closed, state, _options.Handoff.ClosedNotice);
        }

        Publish(OperatorEventKind.ControlChanged, closed);
        return closed;
    }

    /// <inheritdoc />
    public async ValueTask<TranscriptEntry> AddFeedbackAsync(OperatorIdentity @operator, string conversationId, ReplyFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (!Enum.IsDefined(feedback.Verdict))
        {
            throw new ArgumentException("Unknown feedback verdict.", nameof(feedback));
        }

        if (feedback.EmpathyRating is < 1 or > 5)
        {
            throw new ArgumentException("An empathy rating is 1 (not at all) to 5 (very).", nameof(feedback));
        }

        string note = InputSanitizer.Sanitize(feedback.Note ?? string.Empty, out _);
        if (note.Length > ReplyFeedback.MaxNoteLength)
        {
            throw new ArgumentException($"A feedback note is at most {ReplyFeedback.MaxNoteLength:N0} characters.", nameof(feedback));
        }

        ConversationControlState state = await AssignedAsync(@operator, conversationId, cancellationToken).ConfigureAwait(false);
        (_, IReadOnlyList<TranscriptEntry> entries) = await _vault.ReadForOperatorAsync(state.Tenant, conversationId, @operator.Id, audit: false, cancellationToken).ConfigureAwait(false);
        if (!entries.Any(e => e.Role == TranscriptRole.Assistant && e.CreatedAt.UtcTicks == feedback.ReplyAt.UtcTicks))
        {
            throw new ArgumentException("No bot reply of this conversation was written at ReplyAt (use the reply's CreatedAt as read).", nameof(feedback));
        }

        (string stored, bool redacted) = note.Length == 0 ? (string.Empty, true)
            : _options.StoreOriginalText ? (note, false)
            : await RedactOrKeepAsync(conversationId, note).ConfigureAwait(false);
        var entry = new TranscriptEntry(TranscriptRole.Feedback, stored, _time.GetUtcNow(), RiskLevel.None, [])
        {
            IsRedacted = redacted,
            AuthorId = @operator.Id,
            Feedback = feedback with { ReplyAt = new DateTimeOffset(feedback.ReplyAt.UtcTicks, TimeSpan.Zero), Note = stored.Length > 0 ? stored : null },
        };
        TranscriptWriteReceipt receipt = await _vault.AppendForOperatorAsync(state.Tenant, conversationId, [entry], cancellationToken).ConfigureAwait(false);
        await receipt.Durable.ConfigureAwait(false);
        await _vault.AuditForOperatorAsync(
            AuditKinds.OperatorFeedback,
            @operator.Id,
            state.Tenant,
            conversationId,
            AuditDetail.Of(("verdict", TranscriptPayloadCodec.VerdictName(feedback.Verdict)), ("rating", feedback.EmpathyRating), ("note", note.Length > 0)),
            CancellationToken.None).ConfigureAwait(false);
        return entry;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<OperatorEvent> WatchAsync(CancellationToken cancellationToken = default) => _hub.WatchOperatorsAsync(cancellationToken);

    private static string ControlName(ConversationControl control) => control switch
    {
        ConversationControl.HumanRequested => "human_requested",
        ConversationControl.Human => "human",
        ConversationControl.Closed => "closed",
        _ => "bot",
    };

    private async ValueTask<IReadOnlyList<EscalationEntry>> OpenEscalationsAsync(string conversationId, CancellationToken cancellationToken) =>
        [.. (await _escalations.ListAsync(openOnly: true, OpenEscalationsRead, cancellationToken).ConfigureAwait(false)).Where(e => string.Equals(e.ConversationId, conversationId, StringComparison.Ordinal))];

    /// <summary>The conversation's state when it is assigned to the operator; otherwise the refusal is audited and thrown.</summary>
    private async ValueTask<ConversationControlState> AssignedAsync(OperatorIdentity @operator, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        EscalationRows.CheckId(conversationId, nameof(conversationId));
        ConversationControlState? state = await _controls.GetControlAsync(conversationId, cancellationToken).ConfigureAwait(false);
        if (state is null || !string.Equals(state.AssignedTo, @operator.Id, StringComparison.Ordinal))
        {
            await DenyAsync(@operator, state ?? new ConversationControlState(conversationId, TranscriptAddress.DefaultTenant, ConversationControl.Bot, _time.GetUtcNow()), "read", cancellationToken).ConfigureAwait(false);
        }

        return state!;
    }

    private async ValueTask<ConversationControlState> HeldAsync(OperatorIdentity @operator, string conversationId, string action, CancellationToken cancellationToken)
    {
        ConversationControlState state = await AssignedAsync(@operator, conversationId, cancellationToken).ConfigureAwait(false);
        if (state.Control != ConversationControl.Human)
        {
            throw new ConversationControlException($"The operator does not hold the conversation; take it over before the {action}.");
        }

        return state;
    }

    private async ValueTask DenyAsync(OperatorIdentity @operator, ConversationControlState state, string action, CancellationToken cancellationToken)
    {
        await _vault.AuditForOperatorAsync(AuditKinds.OperatorDenied, @operator.Id, state.Tenant, state.ConversationId, AuditDetail.Of(("action", action)), cancellationToken).ConfigureAwait(false);
        throw new OperatorAccessException();
    }

    private async ValueTask<ConversationControlState> ChangeAsync(ConversationControlState? current, ConversationControlState next, CancellationToken cancellationToken)
    {
        long version = current?.Version ?? 0;
        if (!await _controls.TrySetControlAsync(next, version, cancellationToken).ConfigureAwait(false))
        {
            throw new ConversationControlException("The conversation changed meanwhile (another operator, or the user); read it again.");
        }

        return next with { Version = version + 1 };
    }

    private async ValueTask<(string Text, bool Redacted)> RedactOrKeepAsync(string conversationId, string reply)
    {
        try
        {
            return ((await _redactor.RedactAsync(conversationId, reply).ConfigureAwait(false)).RedactedText, true);
        }
#pragma warning disable CA1031 // As for a user's message: kept rather than lost, marked as not redacted, encrypted like everything.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RedactionFailed(_logger, ex.GetType().Name);
            return (reply, false);
        }
    }

    private void Notify(ConversationNoticeKind kind, ConversationControlState state, string template)
    {
        string name = state.OperatorName ?? "A person from our team";
        _hub.Publish(new ConversationNotice(kind, state.ConversationId, template.Replace("{name}", name, StringComparison.Ordinal), name, _time.GetUtcNow()));
    }

    private void Publish(OperatorEventKind kind, ConversationControlState state) =>
        _hub.Publish(new OperatorEvent(kind, state.ConversationId, _time.GetUtcNow(), state.Control, RiskLevel.None) { AssignedTo = state.AssignedTo });
}
