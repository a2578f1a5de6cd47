using System.Globalization;
using System.Resources;

namespace EmpathyKit;

/// <summary>
/// The crisis reply texts of the <c>CrisisReplies</c> resource (English built in; a satellite assembly such as
/// <c>es/EmpathyKit.resources.dll</c> adds a language), looked up for the current UI culture. Placeholders: <c>{line}</c>
/// and <c>{emergency}</c>.
/// </summary>
internal static class CrisisReplyResources
{
    private static readonly ResourceManager Resources = new("EmpathyKit.Crisis.CrisisReplies", typeof(CrisisReplyResources).Assembly);

    /// <summary>Gets a reply text by name for the current UI culture, falling back to English.</summary>
    /// <param name="name">The resource name (<c>SelfRiskReply</c>, <c>MedicalReply</c>, <c>AbuseReply</c>, <c>HarmOthersReply</c>).</param>
    /// <returns>The text.</returns>
    public static string Get(string name) =>
        Resources.GetString(name, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"The crisis reply resource '{name}' is missing from the EmpathyKit assembly.");
}
