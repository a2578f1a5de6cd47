using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmpathyKit.Samples.Web;

/// <summary>Checks operators' passwords against the configured hashes (PBKDF2 through ASP.NET Core Identity's hasher).</summary>
public sealed class OperatorAccounts
{
    /// <summary>The role an operator's sign-in carries.</summary>
    public const string Role = "operator";

    /// <summary>The claim that holds the operator's display name.</summary>
    public const string DisplayNameClaim = "display_name";

    private static readonly PasswordHasher<OperatorAccount> Hasher = new();

    // Compared against when the user name is unknown, so a wrong name costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new OperatorAccount(), Guid.NewGuid().ToString("N"));

    private readonly IOptionsMonitor<SampleSettings> _settings;

    public OperatorAccounts(IOptionsMonitor<SampleSettings> settings)
    {
        _settings = settings;
    }

    /// <summary>Returns the operator's claims when the user name and password match, else <see langword="null"/>.</summary>
    public ClaimsPrincipal? SignIn(string? userName, string? password, string scheme)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password) || userName.Length > 128 || password.Length > 1_024)
        {
            return null;
        }

        OperatorAccount? account = _settings.CurrentValue.Operators.FirstOrDefault(o => string.Equals(o.UserName, userName, StringComparison.Ordinal));
        PasswordVerificationResult result = Hasher.VerifyHashedPassword(account ?? new OperatorAccount(), account?.PasswordHash ?? DummyHash, password);
        if (account is null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, account.Id),
                new Claim(ClaimTypes.Name, account.UserName),
                new Claim(DisplayNameClaim, account.DisplayName),
            ],
            scheme);
        if (account.IsOperator)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, Role));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The operator a signed-in principal is.</summary>
    public static OperatorIdentity Of(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No operator id."), user.FindFirstValue(DisplayNameClaim) ?? "Operator");

    /// <summary>`dotnet run -- hash-password`: reads a password from standard input and prints its hash.</summary>
    public static int HashPasswordCommand(TextReader input, TextWriter output)
    {
        string? password = input.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            output.WriteLine("Type the password on standard input (one line).");
            return 2;
        }

        output.WriteLine(Hasher.HashPassword(new OperatorAccount(), password));
        return 0;
    }
}
