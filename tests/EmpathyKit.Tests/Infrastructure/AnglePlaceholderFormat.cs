using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EmpathyKit.Tests.Infrastructure;

/// <summary>A placeholder format that is not the built-in one: <c>&lt;&lt;PERSON#1&gt;&gt;</c>.</summary>
internal sealed partial class AnglePlaceholderFormat : PiiPlaceholderFormat
{
    public static AnglePlaceholderFormat Instance { get; } = new();

    public override string Opening => "<<";

    public override string Closing => ">>";

    public override int MaxLength => 48;

    public override Regex Pattern => PlaceholderRegex();

    public override string Format(string type, int number) => $"<<{type}#{number}>>";

    public override bool TryParse(string text, [NotNullWhen(true)] out string? type)
    {
        Match match = PlaceholderRegex().Match(text);
        bool whole = match.Success && match.Index == 0 && match.Length == text.Length;
        type = whole ? match.Groups["type"].Value : null;
        return whole;
    }

    [GeneratedRegex(@"<<(?<type>[A-Z][A-Z_]{1,30})#\d{1,6}>>", RegexOptions.CultureInvariant, 250)]
    private static partial Regex PlaceholderRegex();
}
