using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;

namespace EmpathyKit.Samples.Web;

/// <summary>
/// The operator console: sign-in, the page, and its JSON API over <see cref="IOperatorConsole"/>. Everything but the
/// sign-in page needs an operator (401 for the API, a redirect for pages, 403 for an account without the role), and
/// every state-changing call needs the antiforgery header.
/// </summary>
public static class OperatorApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/operator/login", (HttpContext context, IAntiforgery antiforgery, string? error) =>
            Results.Content(Pages.Login(antiforgery.GetAndStoreTokens(context), error is not null), "text/html; charset=utf-8"));
        app.MapPost("/operator/login", SignInAsync).RequireRateLimiting(WebSample.StartLimit);
        app.MapPost("/operator/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(WebSample.OperatorScheme);
            return Results.Redirect("/operator/login");
        }).RequireAuthorization(WebSample.OperatorPolicy);
        app.MapGet("/operator", (IWebHostEnvironment environment) =>
            Results.File(Path.Combine(environment.ContentRootPath, "OperatorPage", "index.html"), "text/html; charset=utf-8")).RequireAuthorization(WebSample.OperatorPolicy);

        RouteGroupBuilder api = app.MapGroup("/api/operator").RequireAuthorization(WebSample.OperatorPolicy).DisableAntiforgery();
        api.AddEndpointFilter(async (invocation, next) =>
        {
            HttpContext context = invocation.HttpContext;
            if (!HttpMethods.IsGet(context.Request.Method))
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    return Results.Json(new ApiError("Missing or invalid antiforgery token (the X-CSRF-TOKEN header from GET /api/operator/session)."), statusCode: StatusCodes.Status400BadRequest);
                }
            }

            try
            {
                return await next(invocation);
            }
            catch (OperatorAccessException ex)
            {
                return Results.Json(new ApiError(ex.Message), statusCode: StatusCodes.Status403Forbidden);
            }
            catch (ConversationControlException ex)
            {
                return Results.Json(new ApiError(ex.Message), statusCode: StatusCodes.Status409Conflict);
            }
            catch (ArgumentException ex)
            {
                return Results.Json(new ApiError(ex.Message), statusCode: StatusCodes.Status400BadRequest);
            }
            catch (JsonException)
            {
                return Results.Json(new ApiError("The body is not valid JSON."), statusCode: StatusCodes.Status400BadRequest);
            }
        });
        api.MapGet("/session", (HttpContext context, IAntiforgery antiforgery) =>
        {
            OperatorIdentity me = OperatorAccounts.Of(context.User);
            return Results.Json(new { id = me.Id, displayName = me.DisplayName, csrf = antiforgery.GetAndStoreTokens(context).RequestToken });
        });
        api.MapGet("/queue", async (IOperatorConsole console, CancellationToken ct) => Results.Json((await console.GetQueueAsync(100, ct)).Select(Describe)));
        api.MapGet("/conversations/{id}", async (string id, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) =>
        {
            IReadOnlyList<TranscriptEntry> entries = await console.ReadConversationAsync(OperatorAccounts.Of(user), id, ct);
            ConversationControlState? control = await console.GetControlAsync(id, ct);
            return Results.Json(new
            {
                id,
                control = ChatApi.Snake((control?.Control ?? ConversationControl.Bot).ToString()),
                assignedTo = control?.AssignedTo,
                entries = entries.Select(e => new
                {
                    role = ChatApi.Snake(e.Role.ToString()),
                    text = e.Text,
                    at = e.CreatedAt,
                    risk = e.Risk.ToString().ToLowerInvariant(),
                    author = e.AuthorId,
                    verdict = e.Feedback is { } f ? ChatApi.Snake(f.Verdict.ToString()) : null,
                    rating = e.Feedback?.EmpathyRating,
                }),
            });
        });
        api.MapPost("/conversations/{id}/claim", async (string id, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) => Describe(await console.ClaimAsync(OperatorAccounts.Of(user), id, ct)));
        api.MapPost("/conversations/{id}/takeover", async (string id, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) => Describe(await console.TakeOverAsync(OperatorAccounts.Of(user), id, ct)));
        api.MapPost("/conversations/{id}/handback", async (string id, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) => Describe(await console.HandBackAsync(OperatorAccounts.Of(user), id, ct)));
        api.MapPost("/conversations/{id}/close", async (string id, CloseRequest body, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) =>
            Describe(await console.CloseAsync(OperatorAccounts.Of(user), id, body.Outcome ?? string.Empty, ct)));
        api.MapPost("/conversations/{id}/reply", async (string id, ReplyRequest body, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) =>
        {
            TranscriptEntry entry = await console.ReplyAsync(OperatorAccounts.Of(user), id, body.Text ?? string.Empty, ct);
            return Results.Json(new { at = entry.CreatedAt });
        });
        api.MapPost("/conversations/{id}/feedback", async (string id, FeedbackRequest body, ClaimsPrincipal user, IOperatorConsole console, CancellationToken ct) =>
        {
            if (!Enum.TryParse(body.Verdict, ignoreCase: true, out FeedbackVerdict verdict) || int.TryParse(body.Verdict, out _))
            {
                return Results.Json(new ApiError("verdict is helpful, neutral or harmful."), statusCode: StatusCodes.Status400BadRequest);
            }

            TranscriptEntry entry = await console.AddFeedbackAsync(OperatorAccounts.Of(user), id, new ReplyFeedback(body.ReplyAt, verdict) { EmpathyRating = body.EmpathyRating, Note = body.Note }, ct);
            return Results.Json(new { at = entry.CreatedAt });
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, OperatorAccounts accounts)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Redirect("/operator/login?error=1");
        }

        IFormCollection form = await context.Request.ReadFormAsync();
        ClaimsPrincipal? principal = accounts.SignIn(form["username"], form["password"], WebSample.OperatorScheme);
        if (principal is null)
        {
            return Results.Redirect("/operator/login?error=1");
        }

        await context.SignInAsync(WebSample.OperatorScheme, principal);
        return Results.Redirect("/operator");
    }

    internal static object Describe(OperatorQueueItem item) => new
    {
        conversationId = item.ConversationId,
        reason = ChatApi.Snake(item.Reason.ToString()),
        since = item.Since,
        control = ChatApi.Snake(item.Control.ToString()),
        level = item.Level.ToString().ToLowerInvariant(),
        rung = item.Assessment is { } a ? ChatApi.Snake(a.Rung.ToString()) : null,
        categories = item.Assessment?.Categories.Select(c => ChatApi.Snake(c.ToString())) ?? [],
        signals = item.Assessment?.Signals ?? [],
        escalationId = item.EscalationId,
        escalationStatus = item.EscalationStatus is { } s ? ChatApi.Snake(s.ToString()) : null,
        assignedTo = item.AssignedTo,
    };

    internal static IResult Describe(ConversationControlState state) => Results.Json(new
    {
        conversationId = state.ConversationId,
        control = ChatApi.Snake(state.Control.ToString()),
        assignedTo = state.AssignedTo,
        outcome = state.Outcome,
    });

    /// <summary>Body of a close.</summary>
    public sealed record CloseRequest(string? Outcome);

    /// <summary>Body of a reply.</summary>
    public sealed record ReplyRequest(string? Text);

    /// <summary>Body of a feedback.</summary>
    public sealed record FeedbackRequest(DateTimeOffset ReplyAt, string? Verdict, int? EmpathyRating, string? Note);
}

/// <summary>The operators' live hub: the server pushes content-free <see cref="OperatorEvent"/>s; clients send nothing.</summary>
public sealed class OperatorHub : Hub;

/// <summary>Relays the console's events to every connected operator.</summary>
public sealed class OperatorEventRelay : BackgroundService
{
    private readonly IOperatorConsole _console;
    private readonly IHubContext<OperatorHub> _hub;

    public OperatorEventRelay(IOperatorConsole console, IHubContext<OperatorHub> hub)
    {
        _console = console;
        _hub = hub;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (OperatorEvent e in _console.WatchAsync(stoppingToken))
            {
                await _hub.Clients.All.SendAsync(
                    "event",
                    new { kind = ChatApi.Snake(e.Kind.ToString()), conversationId = e.ConversationId, at = e.At, control = ChatApi.Snake(e.Control.ToString()), level = e.Level.ToString().ToLowerInvariant(), assignedTo = e.AssignedTo },
                    stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
