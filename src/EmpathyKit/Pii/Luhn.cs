namespace EmpathyKit.Pii;

/// <summary>The Luhn (mod-10) checksum used by payment card numbers.</summary>
internal static class Luhn
{
    /// <summary>Checks the Luhn digit of a digit string.</summary>
    /// <param name="digits">ASCII digits only.</param>
    /// <returns>Whether the checksum holds.</returns>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        bool doubleIt = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }
}
