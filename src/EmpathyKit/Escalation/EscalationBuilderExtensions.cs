using EmpathyKit;
using EmpathyKit.DependencyInjection;
using EmpathyKit.Escalation.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds escalation handlers.</summary>
public static class EscalationBuilderExtensions
{
    /// <summary>Adds an escalation handler; every handler is called when a turn escalates.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEscalationHandler(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>
    /// Adds a handler that only re-raises go to: an escalation nobody acknowledged within
    /// <see cref="EscalationOptions.AcknowledgeWithin"/> is raised again to every fallback (a pager, a second team); with
    /// no fallback, a re-raise goes to every channel again. Delivered by the outbox like any channel (named
    /// <c>fallback:</c> + the handler's type).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEscalationFallback(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => new EscalationFallback(factory(sp)));
        return builder;
    }

    /// <summary>Adds an observer told of each re-raise, for example to show the user the crisis lines again (see <see cref="IEscalationObserver"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the observer.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddEscalationObserver(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationObserver> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>
    /// Keeps the escalation outbox in a host-provided store. By default it lives in the transcripts' database (SQLite
    /// file, PostgreSQL schema, or memory for in-memory transcripts); a host whose own transcript store keeps no outbox
    /// gives one here, or its escalations are kept in memory only.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseEscalationStore(this IEmpathyKitBuilder builder, Func<IServiceProvider, IEscalationStore> factory) => builder.ReplaceKeyed(factory);

    /// <summary>
    /// Adds a <see cref="WebhookEscalationHandler"/>: each escalation is sent to <paramref name="configure"/>'s endpoint as
    /// a signed Standard Webhooks request with a content-free body. Bad options throw here, at registration.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the endpoint, the secrets, the timeout and the operator link.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The options are incomplete or invalid.</exception>
    public static IEmpathyKitBuilder AddWebhookEscalation(this IEmpathyKitBuilder builder, Action<WebhookEscalationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new WebhookEscalationOptions();
        configure(options);
        _ = new WebhookEscalationHandler(Http.Value, options); // bad options fail here, at start-up, not at the first escalation
        return builder.AddEscalationHandler(sp => new WebhookEscalationHandler(Http.Value, options, sp.GetService<TimeProvider>()));
    }

    /// <summary>One client for every webhook handler in the process: pooled connections recycled every few minutes (DNS changes), redirects never followed (a 3xx is not delivered).</summary>
    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan });
}
