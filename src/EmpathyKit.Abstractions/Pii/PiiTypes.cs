namespace EmpathyKit;

/// <summary>The entity type names used by EmpathyKit's PII detectors, as in the project's PII guide.</summary>
public static class PiiTypes
{
    /// <summary>A person's name.</summary>
    public const string Person = "PERSON";

    /// <summary>An email address.</summary>
    public const string Email = "EMAIL";

    /// <summary>A telephone number.</summary>
    public const string Phone = "PHONE";

    /// <summary>A payment card number (Luhn-valid).</summary>
    public const string CreditCard = "CREDIT_CARD";

    /// <summary>A US social security number.</summary>
    public const string UsSsn = "US_SSN";

    /// <summary>A UK NHS number.</summary>
    public const string UkNhs = "UK_NHS";

    /// <summary>A UK national insurance number.</summary>
    public const string UkNino = "UK_NINO";

    /// <summary>An international bank account number.</summary>
    public const string Iban = "IBAN";

    /// <summary>An IPv4 or IPv6 address.</summary>
    public const string IpAddress = "IP_ADDRESS";

    /// <summary>A URL, with or without a scheme.</summary>
    public const string Url = "URL";

    /// <summary>A date of birth (a date with birth context).</summary>
    public const string DateOfBirth = "DATE_OF_BIRTH";

    /// <summary>A street address.</summary>
    public const string StreetAddress = "STREET_ADDRESS";

    /// <summary>A postal code.</summary>
    public const string Postcode = "POSTCODE";

    /// <summary>A social-media handle.</summary>
    public const string SocialHandle = "SOCIAL_HANDLE";
}
