using System.Runtime.CompilerServices;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>
/// Points the library's default data folder (<see cref="EmpathyKitPaths.DataDirectoryVariable"/>) at a folder of this
/// test run, before any test runs: a test that uses a default path (a pipeline given no store or key) never writes to
/// the user's own folder, and never meets an earlier run's data there (an earlier run's unacknowledged escalations
/// would be raised again, to this run's handlers, once they are older than <c>AcknowledgeWithin</c>).
/// </summary>
internal static class TestDataDirectory
{
    [ModuleInitializer]
    internal static void Isolate()
    {
        if (Environment.GetEnvironmentVariable(EmpathyKitPaths.DataDirectoryVariable) is { Length: > 0 })
        {
            return;
        }

        string folder = Path.Combine(Path.GetTempPath(), "empathykit-tests", "data-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(EmpathyKitPaths.DataDirectoryVariable, folder);
    }
}
