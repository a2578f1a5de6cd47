using System.ComponentModel.DataAnnotations;

namespace EmpathyKit.Samples.Web;

/// <summary>The sample's own settings (<c>WebSample</c>): operators, where data lives, and the chat API's limits.</summary>
public sealed class SampleSettings
{
    /// <summary>Gets the operators who may sign in (development ones come from appsettings.Development.json; none are built in).</summary>
    public List<OperatorAccount> Operators { get; } = [];

    /// <summary>Gets or sets the SQLite transcript database; default <c>web-sample.db</c> in EmpathyKit's data folder.</summary>
    public string? Database { get; set; }

    /// <summary>Gets or sets the largest chat request body in bytes (default 16 KiB; a message is at most MaxMessageLength characters).</summary>
    [Range(1_024, 1_048_576)]
    public int MaxRequestBytes { get; set; } = 16 * 1024;

    /// <summary>Gets or sets how many chat requests one conversation may make per 10 seconds (default 20).</summary>
    [Range(1, 10_000)]
    public int MessagesPerTenSeconds { get; set; } = 20;

    /// <summary>Gets or sets a webhook that receives escalations (Standard Webhooks, signed; docs/oversight.md), if any.</summary>
    public Uri? WebhookEndpoint { get; set; }

    /// <summary>Gets or sets the environment variable that holds the webhook's secret (<c>whsec_…</c>; never the secret itself in configuration).</summary>
    public string WebhookSecretVariable { get; set; } = "EMPATHYKIT_WEBHOOK_SECRET";

    /// <summary>Gets or sets how many conversations one client address may start per minute (default 30).</summary>
    [Range(1, 100_000)]
    public int ConversationsPerMinute { get; set; } = 30;
}

/// <summary>An operator who may sign in: an id for the audit log, the name users see, and a password hash (never a password).</summary>
public sealed class OperatorAccount
{
    /// <summary>Gets or sets the operator's id (the audit log's actor).</summary>
    [Required]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the user name typed at sign-in.</summary>
    [Required]
    public string UserName { get; set; } = string.Empty;

    /// <summary>Gets or sets the name users are shown ("you are now talking with …").</summary>
    [Required]
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Gets or sets the password hash (ASP.NET Core Identity's format; `dotnet run -- hash-password` makes one).</summary>
    [Required]
    public string PasswordHash { get; set; } = string.Empty;

    /// <summary>Gets or sets whether the account has the operator role (default true); an account without it signs in but is refused the console.</summary>
    public bool IsOperator { get; set; } = true;
}
