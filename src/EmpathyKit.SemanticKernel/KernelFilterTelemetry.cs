using System.Diagnostics.Metrics;
using EmpathyKit.Diagnostics;

namespace EmpathyKit.SemanticKernel;

/// <summary>What the EmpathyKit filters did, counted without content (<c>empathykit.semantic_kernel.filter</c>, by <c>action</c>).</summary>
internal static class KernelFilterTelemetry
{
    private static readonly Counter<long> Actions = EmpathyKitTelemetry.Meter.CreateCounter<long>(
        "empathykit.semantic_kernel.filter",
        description: "What the EmpathyKit Semantic Kernel filters did, by action (short_circuited, redacted, guard_replaced, tool_refused, tool_result_redacted, failed_closed).");

    public static void Count(string action) => Actions.Add(1, new KeyValuePair<string, object?>("action", action));
}
