namespace EmpathyKit.Tests.Infrastructure;

/// <summary>
/// Locates <c>../shared</c> beside the repository. Tests that need it skip with a visible reason when it is absent,
/// and fail instead when <c>EMPATHYKIT_REQUIRE_ALL=1</c>.
/// </summary>
internal static class SharedData
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("EMPATHYKIT_REQUIRE_ALL") == "1";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string? SharedRoot
    {
        get
        {
            string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
            return Directory.Exists(Path.Combine(candidate, "eval")) ? candidate : null;
        }
    }

    public static string PathOf(string relative) =>
        Path.Combine(SharedRoot ?? throw new InvalidOperationException("../shared is not beside the repository (EMPATHYKIT_REQUIRE_ALL=1 makes this a failure)."), relative);

    private static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EmpathyKit.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Could not find EmpathyKit.sln above the test assembly.");
    }
}

/// <summary>A fact that needs a file under <c>../shared</c>: skipped with the reason when it is missing, unless EMPATHYKIT_REQUIRE_ALL=1.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (!SharedData.RequireAll && (SharedData.SharedRoot is null || !File.Exists(Path.Combine(SharedData.SharedRoot, relativePath))))
        {
            Skip = $"needs ../shared/{relativePath} beside the repository (set EMPATHYKIT_REQUIRE_ALL=1 to make its absence a failure)";
        }
    }
}
