using System.Collections.Frozen;

namespace EmpathyKit.Pii;

/// <summary>Context words (matched as whole words) that make a candidate more likely to be personal data.</summary>
internal static class PiiContextWords
{
    public static readonly FrozenSet<string> Phone = Set("phone", "call", "ring", "text", "mobile", "cell", "cellphone", "number", "tel", "telephone", "whatsapp", "reach", "contact", "fax", "landline", "sms", "signal", "dial", "num", "no", "office", "home", "work", "mob", "answering", "answer", "voicemail", "hotline", "helpline", "extension", "ext");

    public static readonly FrozenSet<string> Ssn = Set("ssn", "social", "security", "ss");

    public static readonly FrozenSet<string> Nhs = Set("nhs", "chi", "health");

    public static readonly FrozenSet<string> Nino = Set("insurance", "nino", "ni", "national");

    public static readonly FrozenSet<string> Birth = Set("born", "birth", "dob", "birthday", "bday", "birthdate");

    public static readonly FrozenSet<string> Postcode = Set("postcode", "zip", "zipcode", "postal", "post", "code", "address", "live", "lives", "flat", "apartment", "street", "road", "avenue");

    public static readonly FrozenSet<string> Ip = Set("ip", "ipv4", "ipv6", "address", "router", "server", "host");

    public static readonly FrozenSet<string> Iban = Set("iban", "account", "bank", "transfer", "sort");

    public static readonly FrozenSet<string> Social = Set("instagram", "insta", "ig", "tiktok", "twitter", "x", "snapchat", "snap", "reddit", "discord", "handle", "username", "user", "follow", "threads", "bluesky", "tumblr", "youtube");

    public static readonly FrozenSet<string> Card = Set("card", "visa", "mastercard", "amex", "discover", "credit", "debit", "cc");

    private static FrozenSet<string> Set(params string[] words) => words.ToFrozenSet(StringComparer.Ordinal);
}
