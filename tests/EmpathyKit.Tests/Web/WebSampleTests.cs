using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EmpathyKit.Tests.Web;

/// <summary>
/// The web sample in process (issue 18): its JSON API and server-sent events, the operator console's refusals (anonymous,
/// non-operator, another operator's conversation, no antiforgery token), bad request bodies, security headers, health,
/// and the whole hand-over with two browser-less clients.
/// </summary>
public sealed class WebSampleTests : IClassFixture<WebSampleFactory>
{
    private const string Crisis = "I have the pills in front of me and I'm going to take them all tonight.";
    private readonly WebSampleFactory _factory;

    public WebSampleTests(WebSampleFactory factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_health_answers()
    {
        HttpClient client = _factory.Client();
        foreach (string path in new[] { "/", "/healthz", "/operator/login", "/chat.js" })
        {
            HttpResponseMessage response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
            string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }

        using JsonDocument health = JsonDocument.Parse(await client.GetStringAsync("/healthz"));
        Assert.Equal("healthy", health.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Anonymous_and_non_operator_users_are_refused_the_console()
    {
        HttpClient anonymous = _factory.Client();
        HttpResponseMessage page = await anonymous.GetAsync("/operator");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/operator/login", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/operator/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/operator/conversations/x/takeover", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/operator/negotiate?negotiateVersion=1", null)).StatusCode);

        HttpClient wrongPassword = _factory.Client();
        string failed = await LoginFailsAsync(wrongPassword, "alex", "not-the-password");
        Assert.Equal("/operator/login?error=1", failed);

        HttpClient trainee = _factory.Client();
        Assert.Equal(string.Empty, await WebSampleFactory.SignInAsync(trainee, "kim", "trainee-dev-password"));
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.GetAsync("/api/operator/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainee.GetAsync("/operator")).StatusCode);
    }

    [Fact]
    public async Task The_chat_api_rejects_bad_bodies_and_other_clients_conversations_with_clear_errors()
    {
        HttpClient user = _factory.Client();
        string id = await StartAsync(user);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Client().PostAsync($"/api/conversations/{id}/messages", Json(new { message = "hi" }))).StatusCode);

        (HttpStatusCode status, string error) = await ErrorAsync(user.PostAsync($"/api/conversations/{id}/messages", new StringContent("{\"message\": ", Encoding.UTF8, "application/json")));
        Assert.Equal((HttpStatusCode.BadRequest, "The body is not valid JSON."), (status, error));
        (status, error) = await ErrorAsync(user.PostAsync($"/api/conversations/{id}/messages", Json(new { text = "hi" })));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"message\"", error, StringComparison.Ordinal);
        (status, _) = await ErrorAsync(user.PostAsync($"/api/conversations/{id}/messages", new StringContent("hi", Encoding.UTF8, "text/plain")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        (status, error) = await ErrorAsync(user.PostAsync($"/api/conversations/{id}/messages", Json(new { message = new string('a', 20_000) })));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("16,384 bytes", error, StringComparison.Ordinal);
        (status, error) = await ErrorAsync(user.DeleteAsync($"/api/conversations/{id}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("confirm=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crisis_message_is_answered_with_the_documented_shape_as_json_and_as_events()
    {
        HttpClient user = _factory.Client();
        string id = await StartAsync(user);
        using JsonDocument reply = JsonDocument.Parse(await (await user.PostAsync($"/api/conversations/{id}/messages", Json(new { message = Crisis }))).Content.ReadAsStringAsync());
        JsonElement root = reply.RootElement;
        Assert.Equal("answered", root.GetProperty("status").GetString());
        Assert.Contains("999", root.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Equal("imminent", root.GetProperty("risk").GetProperty("level").GetString());
        Assert.Equal("queued", root.GetProperty("escalation").GetProperty("status").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages") { Content = Json(new { message = "thank you, I'm a bit calmer" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage streamed = await user.SendAsync(request);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        string events = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("event: delta", events, StringComparison.Ordinal);
        string done = events.Split("\n\n").Single(b => b.StartsWith("event: done", StringComparison.Ordinal));
        using JsonDocument final = JsonDocument.Parse(done[(done.IndexOf("data: ", StringComparison.Ordinal) + 6)..]);
        Assert.Equal("answered", final.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_person_takes_over_through_the_web_and_the_user_sees_them_then_downloads_and_deletes_their_data()
    {
        HttpClient user = _factory.Client();
        string id = await StartAsync(user);
        var notices = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        Task watching = WatchAsync(user, id, notices, stop.Token);

        using (JsonDocument asked = JsonDocument.Parse(await (await user.PostAsync($"/api/conversations/{id}/messages", Json(new { message = "can I talk to a real person?" }))).Content.ReadAsStringAsync()))
        {
            Assert.Equal("human_requested", asked.RootElement.GetProperty("control").GetString());
        }

        HttpClient alex = _factory.Client();
        string csrf = await WebSampleFactory.SignInAsync(alex, "alex", "alex-dev-password");
        Assert.Equal(HttpStatusCode.OK, (await alex.GetAsync("/operator")).StatusCode);
        using (JsonDocument queue = JsonDocument.Parse(await alex.GetStringAsync("/api/operator/queue")))
        {
            Assert.Contains(queue.RootElement.EnumerateArray(), i => i.GetProperty("conversationId").GetString() == id && i.GetProperty("reason").GetString() == "human_requested");
        }

        // No antiforgery header: refused. Then claim and take over.
        Assert.Equal(HttpStatusCode.BadRequest, (await alex.PostAsync($"/api/operator/conversations/{id}/takeover", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(alex, csrf, $"/api/operator/conversations/{id}/takeover")).StatusCode);
        await WaitFor(() => notices.Any(n => n.Contains("operator_joined", StringComparison.Ordinal) && n.Contains("You are now talking with Alex", StringComparison.Ordinal)));

        // Sam, another operator, cannot read or answer it.
        HttpClient sam = _factory.Client();
        string samCsrf = await WebSampleFactory.SignInAsync(sam, "sam", "sam-dev-password");
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/api/operator/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(sam, samCsrf, $"/api/operator/conversations/{id}/reply", new { text = "hello" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(sam, samCsrf, $"/api/operator/conversations/{id}/takeover")).StatusCode);

        // The bot is silent while Alex holds it; Alex reads the message and answers; the user sees the answer.
        using (JsonDocument relayed = JsonDocument.Parse(await (await user.PostAsync($"/api/conversations/{id}/messages", Json(new { message = "thank you. it's been a really bad week" }))).Content.ReadAsStringAsync()))
        {
            Assert.Equal(("relayed_to_operator", "", "Alex"), (relayed.RootElement.GetProperty("status").GetString(), relayed.RootElement.GetProperty("reply").GetString(), relayed.RootElement.GetProperty("operator").GetString()));
        }

        using (JsonDocument conversation = JsonDocument.Parse(await alex.GetStringAsync($"/api/operator/conversations/{id}")))
        {
            Assert.Equal("human", conversation.RootElement.GetProperty("control").GetString());
            Assert.Contains(conversation.RootElement.GetProperty("entries").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("really bad week", StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.OK, (await Send(alex, csrf, $"/api/operator/conversations/{id}/reply", new { text = "I'm Alex, I'm here. What happened this week?" })).StatusCode);
        await WaitFor(() => notices.Any(n => n.Contains("operator_message", StringComparison.Ordinal) && n.Contains("What happened this week?", StringComparison.Ordinal)));
        (HttpStatusCode status, string error) = await ErrorAsync(Send(alex, csrf, $"/api/operator/conversations/{id}/close", new { outcome = "free text is not an outcome" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("short code", error, StringComparison.Ordinal);

        // Hand back: the bot answers again.
        Assert.Equal(HttpStatusCode.OK, (await Send(alex, csrf, $"/api/operator/conversations/{id}/handback")).StatusCode);
        await WaitFor(() => notices.Any(n => n.Contains("handed_back", StringComparison.Ordinal)));
        using (JsonDocument back = JsonDocument.Parse(await (await user.PostAsync($"/api/conversations/{id}/messages", Json(new { message = "ok, thanks for listening" }))).Content.ReadAsStringAsync()))
        {
            Assert.Equal("answered", back.RootElement.GetProperty("status").GetString());
            Assert.NotEqual("", back.RootElement.GetProperty("reply").GetString());
        }

        // The user downloads their data (the person's words are in it) and deletes it.
        string export = await user.GetStringAsync($"/api/conversations/{id}/export");
        Assert.Contains("What happened this week?", export, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await user.DeleteAsync($"/api/conversations/{id}?confirm=true")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync($"/api/conversations/{id}/export")).StatusCode);

        // Its control state (Alex's id, the hand-back) went with it: Alex no longer holds anything to close.
        var controls = (EmpathyKit.Escalation.Storage.IConversationControlStore)_factory.Services.GetRequiredKeyedService<EmpathyKit.Escalation.Storage.IEscalationStore>(EmpathyKitServiceCollectionExtensions.DefaultName);
        Assert.Null(await controls.GetControlAsync(id));
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(alex, csrf, $"/api/operator/conversations/{id}/close", new { outcome = "user_deleted" })).StatusCode);
        Assert.Null(await controls.GetControlAsync(id));

        await stop.CancelAsync();
        await watching;
    }

    private static async Task<string> StartAsync(HttpClient client)
    {
        HttpResponseMessage started = await client.PostAsync("/api/conversations", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task WatchAsync(HttpClient client, string id, System.Collections.Concurrent.ConcurrentQueue<string> notices, CancellationToken stop)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync($"/api/conversations/{id}/events", HttpCompletionOption.ResponseHeadersRead, stop);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    notices.Enqueue(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string csrf, string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : Json(body) };
        request.Headers.Add("X-CSRF-TOKEN", csrf);
        return client.SendAsync(request);
    }

    private static async Task<string> LoginFailsAsync(HttpClient client, string userName, string password)
    {
        string page = await client.GetStringAsync("/operator/login");
        System.Text.RegularExpressions.Match token = System.Text.RegularExpressions.Regex.Match(page, "name=\"(?<n>__RequestVerificationToken)\" value=\"(?<v>[^\"]+)\"");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { [token.Groups["n"].Value] = WebUtility.HtmlDecode(token.Groups["v"].Value), ["username"] = userName, ["password"] = password });
        HttpResponseMessage response = await client.PostAsync("/operator/login", form);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/operator/queue")).StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<(HttpStatusCode Status, string Error)> ErrorAsync(Task<HttpResponseMessage> call)
    {
        HttpResponseMessage response = await call;
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.GetProperty("error").GetString()!);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
