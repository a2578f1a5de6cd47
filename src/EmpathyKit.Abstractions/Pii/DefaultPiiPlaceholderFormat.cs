using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EmpathyKit;

/// <summary>
/// The built-in placeholder format: <c>[TYPE_n]</c> (<c>[PERSON_1]</c>, <c>[CREDIT_CARD_2]</c>), and
/// <c>[TYPE:key:digest]</c> for keyed pseudonyms (<c>[PERSON:k1:3f9a0c21be]</c>).
/// </summary>
internal sealed partial class DefaultPiiPlaceholderFormat : PiiPlaceholderFormat
{
    private const int Timeout = 250;

    public override string Opening => "[";

    public override string Closing => "]";

    public override Regex Pattern => PlaceholderRegex();

    public override string Format(string type, int number)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"[{type}_{number}]";
    }

    /// <summary>Writes a keyed pseudonym: the type, the key id and the first five bytes of the value's HMAC in hex.</summary>
    internal static string Pseudonym(string type, string keyId, string digest) => $"[{type}:{keyId}:{digest}]";

    public override bool TryParse(string text, [NotNullWhen(true)] out string? type)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = WholePlaceholderRegex().Match(text);
        type = match.Success ? match.Groups["type"].Value : null;
        return match.Success;
    }

    public override bool ContainsPartial(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PartialPlaceholderRegex().IsMatch(text);
    }

    [GeneratedRegex(@"\[[A-Z][A-Z_]{1,30}(?:_\d{1,6}|:[A-Za-z0-9_-]{1,16}:[0-9a-f]{10})\]", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlaceholderRegex();

    [GeneratedRegex(@"^\[(?<type>[A-Z][A-Z_]{1,30})(?:_\d{1,6}|:[A-Za-z0-9_-]{1,16}:[0-9a-f]{10})\]\z", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex WholePlaceholderRegex();

    /// <summary>A built-in type's placeholder opened but not closed (<c>[PERSON_1 said</c>, <c>[EMAIL</c>).</summary>
    [GeneratedRegex(@"\[(?:PERSON|EMAIL|PHONE|CREDIT_CARD|US_SSN|UK_NHS|UK_NINO|IBAN|IP_ADDRESS|URL|DATE_OF_BIRTH|STREET_ADDRESS|POSTCODE|SOCIAL_HANDLE)(?:_\d{0,6})?(?![\]\w:])", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PartialPlaceholderRegex();
}
