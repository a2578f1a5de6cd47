using EmpathyKit.Escalation.Storage;
using EmpathyKit.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>The escalation outbox as a test composes it by hand: a store, its worker and the raiser the escalation stage uses.</summary>
internal static class TestEscalations
{
    /// <summary>
    /// Makes a raiser over <paramref name="store"/> (in memory by default) that waits up to ten seconds for the first
    /// delivery, so a handler that answers has been called when the turn returns.
    /// </summary>
    /// <param name="handlers">The pipeline's handlers.</param>
    /// <param name="store">The store, or an in-memory one.</param>
    /// <param name="options">The delivery options, or the defaults with a ten-second wait.</param>
    /// <param name="time">The clock, or the system's.</param>
    /// <returns>The raiser (its worker is <see cref="EscalationRaiser.Worker"/>).</returns>
    public static EscalationRaiser Raiser(IEnumerable<IEscalationHandler> handlers, IEscalationStore? store = null, EscalationOptions? options = null, TimeProvider? time = null)
    {
        options ??= new EscalationOptions { WaitForDelivery = TimeSpan.FromSeconds(10) };
        IEscalationHandler[] all = [.. handlers];
        var worker = new EscalationDeliveryWorker(store ?? new InMemoryEscalationStore(), EscalationChannel.From(all), options, time ?? TimeProvider.System, NullLogger.Instance);
        return new EscalationRaiser(worker, all, options.WaitForDelivery, time ?? TimeProvider.System, NullLogger.Instance);
    }
}
