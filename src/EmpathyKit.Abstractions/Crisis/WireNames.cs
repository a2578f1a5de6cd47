namespace EmpathyKit;

/// <summary>
/// The snake_case names EmpathyKit uses for its enumerations in JSON, the CLI and metrics
/// (<c>high</c>, <c>self_harm</c>, <c>hopelessness</c>), and their parsing.
/// </summary>
public static class WireNames
{
    private static readonly string[] RiskNames = ["none", "low", "moderate", "high", "imminent"];

    private static readonly string[] CategoryNames =
        ["suicidal", "self_harm", "eating_disorder", "harm_others", "abuse", "medical", "third_party", "distress"];

    private static readonly string[] EmotionNames =
        ["sadness", "anxiety", "anger", "loneliness", "hopelessness", "shame", "overwhelm", "joy", "gratitude", "relief", "neutral", "disgust", "surprise"];

    /// <summary>Returns the wire name of a risk level (<c>none</c> … <c>imminent</c>).</summary>
    /// <param name="level">The level.</param>
    /// <returns>The lower-case name.</returns>
    public static string ToWireName(this RiskLevel level) => RiskNames[(int)level];

    /// <summary>Returns the wire name of a crisis category (<c>self_harm</c>, …).</summary>
    /// <param name="category">The category.</param>
    /// <returns>The snake_case name.</returns>
    public static string ToWireName(this CrisisCategory category) => CategoryNames[(int)category];

    /// <summary>Returns the wire name of an emotion (<c>hopelessness</c>, …).</summary>
    /// <param name="emotion">The emotion.</param>
    /// <returns>The lower-case name.</returns>
    public static string ToWireName(this Emotion emotion) => EmotionNames[(int)emotion];

    /// <summary>Parses a risk level from its wire name, case-insensitively.</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="level">The parsed level when the method returns <see langword="true"/>.</param>
    /// <returns>Whether <paramref name="name"/> named a level.</returns>
    public static bool TryParseRiskLevel(string? name, out RiskLevel level)
    {
        int index = Array.FindIndex(RiskNames, n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        level = index < 0 ? RiskLevel.None : (RiskLevel)index;
        return index >= 0;
    }

    /// <summary>Parses a crisis category from its wire name, case-insensitively.</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="category">The parsed category when the method returns <see langword="true"/>.</param>
    /// <returns>Whether <paramref name="name"/> named a category.</returns>
    public static bool TryParseCategory(string? name, out CrisisCategory category)
    {
        int index = Array.FindIndex(CategoryNames, n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        category = index < 0 ? CrisisCategory.Distress : (CrisisCategory)index;
        return index >= 0;
    }
}
