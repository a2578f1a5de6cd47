namespace EmpathyKit;

/// <summary>
/// Where EmpathyKit keeps development files: a user-scoped folder (<c>~/.local/share/EmpathyKit</c> on Linux,
/// <c>%LOCALAPPDATA%\EmpathyKit</c> on Windows), or the folder named by the <c>EMPATHYKIT_DATA_DIR</c> environment variable.
/// </summary>
public static class EmpathyKitPaths
{
    /// <summary>The environment variable that relocates the data folder.</summary>
    public const string DataDirectoryVariable = "EMPATHYKIT_DATA_DIR";

    /// <summary>Gets the data folder (not created by this property).</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } overridden
            ? Path.GetFullPath(overridden)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "EmpathyKit");

    /// <summary>Gets the path of the development key file.</summary>
    public static string DevelopmentKeyFile => Path.Combine(DataDirectory, "development.key");

    /// <summary>Gets the default path of the SQLite transcript database.</summary>
    public static string DefaultTranscriptDatabase => Path.Combine(DataDirectory, "transcripts.db");

    /// <summary>Creates <paramref name="folder"/> if missing, readable by its owner only on Unix.</summary>
    /// <param name="folder">The folder.</param>
    public static void EnsurePrivateDirectory(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
