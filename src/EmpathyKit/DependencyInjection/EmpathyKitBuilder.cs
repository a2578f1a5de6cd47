using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.DependencyInjection;

/// <summary>The builder of one pipeline and what it collects: the provider and the custom stages by slot.</summary>
internal sealed class EmpathyKitBuilder : IEmpathyKitBuilder
{
    public EmpathyKitBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
    }

    public IServiceCollection Services { get; }

    public string Name { get; }

    public Func<IServiceProvider, IChatClient>? ProviderFactory { get; set; }

    /// <summary>
    /// Gets or sets whether the provider is a model (set with <c>UseChatClient</c>), which makes it the default crisis second
    /// opinion; <see langword="false"/> for the offline responder.
    /// </summary>
    public bool ProviderIsModel { get; set; }

    public List<(StageSlot Slot, Func<IChatClient, IServiceProvider, IChatClient> Factory)> CustomStages { get; } = [];
}
