using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit;

/// <summary>Configures one EmpathyKit pipeline; returned by <c>AddEmpathyKit</c>.</summary>
public interface IEmpathyKitBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the pipeline's name: the key of its keyed services and the name of its options.</summary>
    string Name { get; }
}
