using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Tests.OpenAI;

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> endpoint on loopback (Kestrel, random port). Each request takes the
/// next scripted behaviour; requests are recorded (headers and JSON body) so tests can check what was sent.
/// </summary>
internal sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, JsonDocument, Task>> _script = new();

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<(string? Authorization, JsonDocument Body)> Requests { get; } = new();

    /// <summary>Gets the crisis second-opinion requests (a pipeline with a model asks it by default), kept apart from <see cref="Requests"/>.</summary>
    public ConcurrentQueue<(string? Authorization, JsonDocument Body)> SecondOpinionRequests { get; } = new();

    /// <summary>Gets or sets what a second-opinion request is answered with (default: no risk).</summary>
    public string SecondOpinionAnswer { get; set; } = """{"level":"none","categories":[]}""";

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>Queues the behaviour of the next request.</summary>
    public FakeOpenAIServer Then(Func<HttpContext, JsonDocument, Task> behaviour)
    {
        _script.Enqueue(behaviour);
        return this;
    }

    public FakeOpenAIServer ThenJson(string text, string finish = "stop") => Then((context, _) => WriteJsonAsync(context, Completion(text, finish)));

    public FakeOpenAIServer ThenStream(params string[] chunks) => Then((context, _) => WriteStreamAsync(context, chunks));

    public FakeOpenAIServer ThenStatus(int status, string body = """{"error":{"message":"echo of the user's words","type":"server_error"}}""") =>
        Then(async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });

    public FakeOpenAIServer ThenRaw(string contentType, string body) =>
        Then(async (context, _) =>
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public FakeOpenAIServer ThenDelay(TimeSpan delay, string text = "late") =>
        Then(async (context, _) =>
        {
            await Task.Delay(delay, context.RequestAborted);
            await WriteJsonAsync(context, Completion(text, "stop"));
        });

    public static string Completion(string text, string finish) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "fake-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = finish } },
        usage = new { prompt_tokens = 11, completion_tokens = 7, total_tokens = 18 },
    });

    public static string Chunk(string? text, string? finish) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model = "fake-model",
        choices = new[] { new { index = 0, delta = new { role = "assistant", content = text }, finish_reason = finish } },
    });

    public static async Task WriteStreamAsync(HttpContext context, IReadOnlyList<string> chunks, bool done = true)
    {
        context.Response.ContentType = "text/event-stream";
        for (int i = 0; i < chunks.Count; i++)
        {
            await context.Response.WriteAsync("data: " + Chunk(chunks[i], i == chunks.Count - 1 ? "stop" : null) + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        if (done)
        {
            await context.Response.WriteAsync("data: [DONE]\n\n");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    private static bool IsSecondOpinion(JsonDocument body) =>
        body.RootElement.TryGetProperty("messages", out JsonElement messages)
        && messages.ValueKind == JsonValueKind.Array
        && messages.GetArrayLength() > 0
        && messages[0].TryGetProperty("content", out JsonElement content)
        && content.ValueKind == JsonValueKind.String
        && content.GetString()!.Contains("crisis-risk classifier", StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        JsonDocument body = JsonDocument.Parse(await reader.ReadToEndAsync());
        if (IsSecondOpinion(body))
        {
            // Runs concurrently with the turn's request, so it is answered apart from the script.
            SecondOpinionRequests.Enqueue((context.Request.Headers.Authorization.ToString(), body));
            await WriteJsonAsync(context, Completion(SecondOpinionAnswer, "stop"));
            return;
        }

        Requests.Enqueue((context.Request.Headers.Authorization.ToString(), body));
        if (!_script.TryDequeue(out Func<HttpContext, JsonDocument, Task>? behaviour))
        {
            context.Response.StatusCode = 599;
            return;
        }

        await behaviour(context, body);
    }
}
