using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EmpathyKit.Samples.Web;

/// <summary>Composes the web sample: EmpathyKit, operator sign-in, rate limits, security headers, telemetry and the endpoints.</summary>
public static class WebSample
{
    /// <summary>The cookie scheme operators sign in with.</summary>
    public const string OperatorScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The authorization policy of the console, its API and its hub.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>The rate-limit policy of a conversation's requests (partitioned by conversation).</summary>
    public const string ChatLimit = "chat";

    /// <summary>The rate-limit policy of starting conversations and signing in (partitioned by client address).</summary>
    public const string StartLimit = "start";

    /// <summary>Builds the app, or returns <see langword="null"/> with a usage message for bad arguments.</summary>
    public static WebApplication? Build(string[] args, out string? usage, Action<WebApplicationBuilder>? configure = null)
    {
        usage = null;
        string? model = null, apiKeyVariable = "OPENAI_API_KEY";
        Uri? endpoint = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--model" when value is not null:
                    model = value;
                    i++;
                    break;
                case "--endpoint" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed):
                    endpoint = parsed;
                    i++;
                    break;
                case "--api-key-env" when value is not null:
                    apiKeyVariable = value;
                    i++;
                    break;
                case "--model" or "--endpoint" or "--api-key-env":
                    usage = "Usage: EmpathyKit.Samples.Web [--urls URL] [--model NAME [--endpoint URL] [--api-key-env VARIABLE]]";
                    return null;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (endpoint is not null && model is null)
        {
            usage = "--endpoint needs --model.";
            return null;
        }

        WebApplicationBuilder builder = WebApplication.CreateBuilder([.. rest]);
        builder.Services.AddOptions<SampleSettings>().Bind(builder.Configuration.GetSection("WebSample")).ValidateDataAnnotations().ValidateOnStart();
        SampleSettings settings = builder.Configuration.GetSection("WebSample").Get<SampleSettings>() ?? new SampleSettings();

        IEmpathyKitBuilder empathyKit = builder.Services.AddEmpathyKit(builder.Configuration.GetSection("EmpathyKit"))
            .UseDevelopmentKey()
            .UseSqliteTranscripts(settings.Database ?? Path.Combine(EmpathyKitPaths.DataDirectory, "web-sample.db"));
        if (model is null)
        {
            empathyKit.UseOfflineResponder();
        }
        else
        {
            empathyKit.UseOpenAI(o =>
            {
                o.Model = model;
                o.Endpoint = endpoint;
                o.ApiKeyEnvironmentVariable = apiKeyVariable;
            });
        }

        // Sign-in and conversation cookies survive a restart: the keys live beside the database, in an owner-only folder.
        string keys = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.Database ?? Path.Combine(EmpathyKitPaths.DataDirectory, "web-sample.db")))!, "web-sample-keys");
        EmpathyKitPaths.EnsurePrivateDirectory(keys);
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys));
        if (settings.WebhookEndpoint is { } webhook)
        {
            string secret = Environment.GetEnvironmentVariable(settings.WebhookSecretVariable)
                ?? throw new InvalidOperationException($"WebSample:WebhookEndpoint is set but the environment variable {settings.WebhookSecretVariable} holds no secret.");
            empathyKit.AddWebhookEscalation(o =>
            {
                o.Endpoint = webhook;
                o.Secrets.Add(secret);
            });
        }

        builder.Services.AddSingleton<OperatorAccounts>();
        builder.Services.AddSingleton<ConversationOwnership>();
        builder.Services.AddHostedService<OperatorEventRelay>();
        builder.Services.AddSignalR();
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.Name = "ek_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthentication(OperatorScheme).AddCookie(OperatorScheme, o =>
        {
            o.Cookie.Name = "ek_operator";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/operator/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(OperatorAccounts.Role));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "10";
                await context.HttpContext.Response.WriteAsJsonAsync(new ApiError("Too many requests: wait a few seconds and try again."), token);
            };
            o.AddPolicy(ChatLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                (string?)context.Request.RouteValues["id"] ?? ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.MessagesPerTenSeconds, Window = TimeSpan.FromSeconds(10), QueueLimit = 0 }));
            o.AddPolicy(StartLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.ConversationsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        builder.Services.AddOpenTelemetry()
            .WithTracing(t =>
            {
                t.AddSource("EmpathyKit").AddAspNetCoreInstrumentation();
                if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter("EmpathyKit").AddAspNetCoreInstrumentation();
                if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    m.AddOtlpExporter();
                }
            });
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.Use(SecurityHeaders.AddAsync);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        ChatApi.Map(app);
        OperatorApi.Map(app);
        app.MapHub<OperatorHub>("/hubs/operator").RequireAuthorization(OperatorPolicy);
        app.MapGet("/healthz", async (IEmpathyKitHealth health, CancellationToken ct) =>
        {
            EmpathyKitHealthReport report = await health.CheckAsync(ct);
            return Results.Json(
                new { status = report.IsHealthy ? "healthy" : "unhealthy", transcripts = report.TranscriptStoreReachable, outbox = report.OutboxWorkerHealthy, problem = report.Problem },
                statusCode: report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    /// <summary>The client's address, the partition for limits that have no conversation yet.</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    // The API and the hub answer 401/403; pages redirect to the sign-in page.
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs") || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>An API error: one clear sentence, never message content.</summary>
/// <param name="Error">What was wrong.</param>
public sealed record ApiError(string Error);
