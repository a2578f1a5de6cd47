using System.Text;
using System.Text.Json;

namespace EmpathyKit.Samples.Web;

/// <summary>The user's JSON API (docs/web.md): start a conversation, send a message (JSON or server-sent events), watch for a person's messages, download and delete the data.</summary>
public static class ChatApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/conversations", (HttpContext context, ConversationOwnership ownership) => Results.Json(new { id = ownership.Start(context) }, statusCode: StatusCodes.Status201Created))
            .RequireRateLimiting(WebSample.StartLimit)
            .DisableAntiforgery();

        RouteGroupBuilder conversation = app.MapGroup("/api/conversations/{id}").RequireRateLimiting(WebSample.ChatLimit).DisableAntiforgery();
        conversation.AddEndpointFilter(async (invocation, next) =>
        {
            HttpContext context = invocation.HttpContext;
            string id = (string)context.Request.RouteValues["id"]!;
            return context.RequestServices.GetRequiredService<ConversationOwnership>().Owns(context, id)
                ? await next(invocation)
                : Results.Json(new ApiError("This conversation was not started by this client (start one with POST /api/conversations)."), statusCode: StatusCodes.Status403Forbidden);
        });
        conversation.MapPost("/messages", SendAsync);
        conversation.MapGet("/events", WatchAsync);
        conversation.MapGet("/export", ExportAsync);
        conversation.MapDelete("/", DeleteAsync);
        app.MapGet("/api/info", (Microsoft.Extensions.Options.IOptionsMonitor<EmpathyKitOptions> options, [Microsoft.Extensions.DependencyInjection.FromKeyedServices(EmpathyKitServiceCollectionExtensions.DefaultName)] CrisisDirectory directory) =>
        {
            CrisisDirectoryEntry entry = directory.Find(options.Get(EmpathyKitServiceCollectionExtensions.DefaultName).Country);
            return Results.Json(new
            {
                emergency = entry.EmergencyNumber,
                lines = entry.Lines.Select(l => new { name = l.Name, number = l.Number, how = l.HowToReach }),
                notice = "This is a support bot, not a therapist or an emergency service.",
            });
        });
    }

    private static async Task SendAsync(string id, HttpContext context, ISupportChat chat, Microsoft.Extensions.Options.IOptions<SampleSettings> settings, CancellationToken ct)
    {
        (string? message, string? error, int status) = await ReadMessageAsync(context.Request, settings.Value.MaxRequestBytes, ct);
        if (message is null)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new ApiError(error!), ct);
            return;
        }

        if (!context.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true))
        {
            SupportReply reply = await chat.SendAsync(id, message, ct);
            await context.Response.WriteAsJsonAsync(Describe(reply), Json, ct);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await foreach (SupportReplyUpdate update in chat.StreamAsync(id, message, ct))
        {
            if (update.TextDelta.Length > 0)
            {
                await WriteEventAsync(context.Response, "delta", new { text = update.TextDelta }, ct);
            }

            if (update.Completed is { } completed)
            {
                await WriteEventAsync(context.Response, "done", Describe(completed), ct);
            }
        }
    }

    private static async Task WatchAsync(string id, HttpContext context, IConversationNotices notices, CancellationToken ct)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": watching\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
        try
        {
            await foreach (ConversationNotice notice in notices.WatchAsync(id, ct))
            {
                await WriteEventAsync(context.Response, "notice", new { kind = Snake(notice.Kind.ToString()), text = notice.Text, @operator = notice.OperatorName, at = notice.At }, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task<IResult> ExportAsync(string id, ITranscriptManager transcripts, CancellationToken ct)
    {
        byte[] export = await transcripts.ExportSubjectAsync(TranscriptAddress.DefaultTenant, id, recipient: null, actor: "user:" + id, ct);
        return Results.File(export, "application/json", "my-empathykit-data.json");
    }

    private static async Task<IResult> DeleteAsync(string id, bool? confirm, HttpContext context, ITranscriptManager transcripts, CancellationToken ct)
    {
        if (confirm != true)
        {
            return Results.Json(new ApiError("Deleting your data cannot be undone: send the request again with ?confirm=true."), statusCode: StatusCodes.Status400BadRequest);
        }

        ErasureCertificate certificate = await transcripts.EraseSubjectAsync(TranscriptAddress.DefaultTenant, id, actor: "user:" + id, ct);
        ConversationOwnership.Forget(context);
        return Results.Json(new { deleted = true, erasedAt = certificate.ErasedAt });
    }

    /// <summary>Reads <c>{"message": "..."}</c> within the size limit; a clear error and status otherwise.</summary>
    internal static async Task<(string? Message, string? Error, int Status)> ReadMessageAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "Send JSON: Content-Type: application/json with {\"message\": \"...\"}.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, $"The request body is larger than {maxBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4_096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, $"The request body is larger than {maxBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(buffer.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String
                ? (message.GetString()!, null, StatusCodes.Status200OK)
                : (null, "The body must be a JSON object with a string \"message\".", StatusCodes.Status400BadRequest);
        }
        catch (JsonException)
        {
            return (null, "The body is not valid JSON.", StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The reply as the API answers it: text, status, risk, escalation and who answers the conversation.</summary>
    internal static object Describe(SupportReply reply) => new
    {
        reply = reply.Text,
        status = Snake(reply.Status.ToString()),
        risk = new
        {
            level = reply.Risk.Level.ToString().ToLowerInvariant(),
            rung = Snake(reply.Risk.Rung.ToString()),
            categories = reply.Risk.Categories.Select(c => Snake(c.ToString())),
        },
        escalation = reply.EscalationStatus is { } status ? new { status = Snake(status.ToString()) } : null,
        control = Snake(reply.Report.Control.ToString()),
        @operator = reply.Report.OperatorName,
    };

    internal static string Snake(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, object data, CancellationToken ct)
    {
        await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
