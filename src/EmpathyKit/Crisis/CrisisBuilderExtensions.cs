using EmpathyKit;
using EmpathyKit.DependencyInjection;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures crisis detection: options, the directory of crisis lines, the detector and its second opinion.</summary>
public static class CrisisBuilderExtensions
{
    /// <summary>Configures the crisis stage (levels, memory, second opinion, replies): <see cref="EmpathyKitOptions.Crisis"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder ConfigureCrisisDetection(this IEmpathyKitBuilder builder, Action<CrisisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Configure(o => configure(o.Crisis));
    }

    /// <summary>Uses a crisis directory (for example <c>CrisisDirectory.Default.With(...)</c>) for crisis replies and the PII allow-list.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The directory.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseCrisisDirectory(this IEmpathyKitBuilder builder, CrisisDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return builder.ReplaceKeyed(_ => directory);
    }

    /// <summary>Uses a crisis detector in place of the built-in one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder UseCrisisDetector(this IEmpathyKitBuilder builder, Func<IServiceProvider, ICrisisDetector> factory) => builder.ReplaceKeyed(factory);

    /// <summary>
    /// Adds a second opinion to crisis detection (for example a moderation endpoint), combined with the built-in detector by
    /// taking the higher risk. It replaces the default model second opinion (see <see cref="CrisisOptions.ModelSecondOpinion"/>)
    /// and is used whatever that option says. It is asked only when the built-in assessment is below
    /// <see cref="CrisisOptions.ShortCircuitLevel"/>, concurrently with the reply, which is released when both have finished:
    /// at or above the short-circuit level the reply is replaced by the crisis reply; a higher level below it raises the
    /// turn's assessment; a lower one never lowers it. If it fails or exceeds <see cref="CrisisOptions.SecondOpinionTimeout"/>,
    /// the built-in assessment stands. It receives the raw text: a detector that sends text out of the process must redact
    /// it first.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the second-opinion detector.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddCrisisSecondOpinion(this IEmpathyKitBuilder builder, Func<IServiceProvider, ICrisisDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return builder.ReplaceKeyed(sp => new EmpathyKit.Crisis.SecondOpinion(factory(sp)));
    }

    /// <summary>
    /// Adds a chat model as a second opinion on crisis risk (for example a different model from the provider's). What it
    /// is sent is redacted first; it answers with a small JSON classification. Combined and bounded as described for
    /// <c>AddCrisisSecondOpinion</c>. Without it, a provider set with <c>UseChatClient</c> is the second opinion by default.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="clientFactory">Creates the chat client to ask.</param>
    /// <returns>The builder.</returns>
    public static IEmpathyKitBuilder AddCrisisSecondOpinionFromModel(this IEmpathyKitBuilder builder, Func<IServiceProvider, IChatClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clientFactory);
        string name = builder.Name;
        return builder.AddCrisisSecondOpinion(sp => new EmpathyKit.Crisis.ChatClientCrisisDetector(clientFactory(sp), sp.GetRequiredKeyedService<IPiiRedactor>(name)));
    }
}
