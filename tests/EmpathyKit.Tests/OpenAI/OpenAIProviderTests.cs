using System.Text;
using System.Text.Json;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpathyKit.Tests.OpenAI;

/// <summary>The OpenAI-compatible provider against a fake server on loopback: both paths, errors, timeouts, malformed payloads.</summary>
public sealed class OpenAIProviderTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Non_streaming_sends_the_messages_and_maps_the_completion()
    {
        _server.ThenJson("That sounds hard. What happened?");
        using var client = Client(o => o.ApiKey = "sk-test");
        var options = new ChatOptions { Temperature = 0.2f, ConversationId = "conv-secret" };
        options.SetTurnReport(new TurnReport());

        ChatResponse response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Be kind."), new ChatMessage(ChatRole.User, "I had a bad day."), new ChatMessage(ChatRole.Assistant, "I'm sorry."), new ChatMessage(ChatRole.User, "It got worse.")],
            options);

        Assert.Equal("That sounds hard. What happened?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(18, response.Usage!.TotalTokenCount);
        (string? auth, JsonDocument body) = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-test", auth);
        JsonElement root = body.RootElement;
        Assert.Equal("fake-model", root.GetProperty("model").GetString());
        Assert.Equal(0.2, root.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(["system", "user", "assistant", "user"], root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        string raw = root.GetRawText();
        Assert.DoesNotContain("conv-secret", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("EmpathyKit", raw, StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("user", out _));
    }

    [Fact]
    public async Task Streaming_yields_the_chunks_in_order_with_the_finish_reason()
    {
        _server.ThenStream("That ", "sounds ", "hard.");
        using var client = Client();

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
            text.Append(update.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal("That sounds hard.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(Assert.Single(_server.Requests).Body.RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task A_server_error_is_retried_and_then_succeeds()
    {
        _server.ThenStatus(503).ThenJson("Recovered.");
        using var client = Client(o => o.MaxRetries = 2);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("Recovered.", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData(500, ChatProviderErrorKind.ServerError)]
    [InlineData(401, ChatProviderErrorKind.Unauthorized)]
    [InlineData(429, ChatProviderErrorKind.RateLimited)]
    [InlineData(404, ChatProviderErrorKind.BadRequest)]
    public async Task Errors_become_content_free_provider_exceptions(int status, ChatProviderErrorKind kind)
    {
        for (int i = 0; i < 3; i++)
        {
            _server.ThenStatus(status);
        }

        using var client = Client(o => o.MaxRetries = 0);

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "my secret words")]));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.DoesNotContain("echo", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public async Task A_slow_server_times_out()
    {
        _server.ThenDelay(TimeSpan.FromSeconds(30));
        using var client = Client(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 0;
        });

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_turned_into_a_timeout()
    {
        _server.ThenDelay(TimeSpan.FromSeconds(30));
        using var client = Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("application/json", "{not json")]
    [InlineData("application/json", """{"id":"x","choices":[]}""")]
    [InlineData("text/html", "<html>proxy error</html>")]
    public async Task Malformed_payloads_are_reported_as_such(string contentType, string body)
    {
        _server.ThenRaw(contentType, body);
        using var client = Client(o => o.MaxRetries = 0);

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ChatProviderErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task An_empty_completion_is_malformed()
    {
        _server.ThenJson(string.Empty);
        using var client = Client(o => o.MaxRetries = 0);

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ChatProviderErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task A_malformed_stream_chunk_is_reported_as_such()
    {
        _server.Then(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + FakeOpenAIServer.Chunk("Hello ", null) + "\n\n");
            await context.Response.WriteAsync("data: {broken\n\n");
        });
        using var client = Client(o => o.MaxRetries = 0);

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            {
            }
        });

        Assert.Equal(ChatProviderErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task A_stream_that_stalls_times_out()
    {
        _server.Then(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: " + FakeOpenAIServer.Chunk("Hello ", null) + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        using var client = Client(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 0;
        });

        var text = new StringBuilder();
        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            {
                text.Append(update.Text);
            }
        });

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.Equal("Hello ", text.ToString());
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_as_such()
    {
        var options = new OpenAIProviderOptions { Model = "m", Endpoint = new Uri("http://127.0.0.1:9/v1/"), MaxRetries = 0 };
        using var client = new OpenAICompatibleChatClient(options);

        ChatProviderException ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(ChatProviderErrorKind.Unreachable, ex.Kind);
    }

    [Theory]
    [InlineData(null, null, "No API key")]
    [InlineData("", "http://example.com/v1", "unencrypted")]
    [InlineData("m", "ftp://example.com/v1", "absolute http or https")]
    public void Invalid_options_fail_with_a_clear_message(string? model, string? endpoint, string expected)
    {
        var options = new OpenAIProviderOptions
        {
            Model = model ?? "m",
            Endpoint = endpoint is null ? null : new Uri(endpoint),
            ApiKeyEnvironmentVariable = "EMPATHYKIT_TEST_UNSET_KEY",
        };
        if (model == string.Empty)
        {
            options.Model = "m";
        }

        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => new OpenAICompatibleChatClient(options));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_pipeline_a_server_error_becomes_a_safe_reply_and_the_turn_is_recorded()
    {
        for (int i = 0; i < 3; i++)
        {
            _server.ThenStatus(500);
        }

        using var host = new TestHost(configure: b => b.UseOpenAI(o =>
        {
            o.Model = "fake-model";
            o.Endpoint = _server.BaseUrl;
            o.MaxRetries = 0;
        }));

        SupportReply reply = await host.Chat.SendAsync("conv-openai", "My name is Alice and I feel awful");

        Assert.Equal(SupportReplyStatus.Failed, reply.Status);
        Assert.DoesNotContain("Exception", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("500", reply.Text, StringComparison.Ordinal);
        TranscriptEntry stored = (await host.Transcripts.ReadAsync("conv-openai", 10))[0];
        Assert.Equal(TranscriptRole.User, stored.Role);
        Assert.Contains("I feel awful", stored.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_pipeline_the_model_sees_redacted_text_and_the_user_sees_the_guarded_stream()
    {
        _server.ThenStream("Hi [PERSON_1]. ", "That sounds exhausting. ", "What has kept you awake?");
        using var host = new TestHost(configure: b => b.UseOpenAI(o =>
        {
            o.Model = "fake-model";
            o.Endpoint = _server.BaseUrl;
        }));

        var text = new StringBuilder();
        await foreach (SupportReplyUpdate update in host.Chat.StreamAsync("conv-stream", "I'm Alice Johnson and I can't sleep"))
        {
            text.Append(update.TextDelta);
        }

        string sent = Assert.Single(_server.Requests).Body.RootElement.GetRawText();
        Assert.DoesNotContain("Alice", sent, StringComparison.Ordinal);
        Assert.StartsWith("Hi Alice Johnson. That sounds exhausting.", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_and_instructions_are_sent_and_a_tool_call_comes_back_as_a_function_call()
    {
        _server.ThenRaw("application/json", """
            {"id":"chatcmpl-tool","object":"chat.completion","created":1700000000,"model":"fake-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"find_account","arguments":"{\"email\":\"[EMAIL_1]\"}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}
            """);
        using var client = Client();
        AIFunction lookup = AIFunctionFactory.Create((string email) => "found", "find_account", "Finds the user's account.");
        var options = new ChatOptions { Tools = [lookup], Instructions = "Keep it brief." };

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "My email is [EMAIL_1].")], options);

        FunctionCallContent call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("find_account", call.Name);
        Assert.Equal("[EMAIL_1]", call.Arguments!["email"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        JsonElement body = Assert.Single(_server.Requests).Body.RootElement;
        Assert.Equal("find_account", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Contains("Keep it brief.", body.GetProperty("messages").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_result_is_sent_back_with_its_call()
    {
        _server.ThenJson("Your plan renews in May.");
        using var client = Client();
        ChatMessage[] messages =
        [
            new(ChatRole.User, "When does my plan renew?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "find_account", new Dictionary<string, object?> { ["email"] = "[EMAIL_1]" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "renewal due in May")]),
        ];

        ChatResponse response = await client.GetResponseAsync(messages);

        Assert.Equal("Your plan renews in May.", response.Text);
        JsonElement sent = Assert.Single(_server.Requests).Body.RootElement.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], sent.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("call_1", sent[2].GetProperty("tool_call_id").GetString());
        Assert.Contains("renewal due in May", sent[2].GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseOpenAI_binds_its_section_and_sends_through_the_hosts_http_client()
    {
        _server.ThenJson("Hello from the model.");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EmpathyKit:OpenAI:Model"] = "configured-model",
            ["EmpathyKit:OpenAI:Endpoint"] = _server.BaseUrl.ToString(),
            ["EmpathyKit:OpenAI:ApiKey"] = "sk-configured",
        }).Build();
        int sent = 0;
        using var handler = new CountingHandler(() => sent++);
        string key = Path.Combine(Path.GetTempPath(), "empathykit-tests", Guid.NewGuid().ToString("N"), "root.key");
        KeyFileTranscriptKeyProvider.CreateKeyFile(key);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddEmpathyKit(o => o.Crisis.ModelSecondOpinion = false)
            .UseOpenAI(o => o.MaxRetries = 0, _ => new HttpClient(handler, disposeHandler: false))
            .UseInMemoryTranscripts()
            .UseKeyFile(key);
        using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient pipeline = provider.GetRequiredKeyedService<IChatClient>(EmpathyKitServiceCollectionExtensions.DefaultName);

        ChatResponse response = await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Contains("Hello from the model.", response.Text, StringComparison.Ordinal);
        (string? auth, JsonDocument body) = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-configured", auth);
        Assert.Equal("configured-model", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(1, sent);
    }

    [Fact]
    public void UseOpenAI_without_a_model_fails_when_the_host_starts()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEmpathyKit().UseOpenAI(o => o.ApiKey = "sk-test").UseInMemoryTranscripts();
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("EmpathyKit:OpenAI is not valid", error.Message, StringComparison.Ordinal);
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }

    private OpenAICompatibleChatClient Client(Action<OpenAIProviderOptions>? configure = null)
    {
        var options = new OpenAIProviderOptions { Model = "fake-model", Endpoint = _server.BaseUrl, MaxRetries = 0 };
        configure?.Invoke(options);
        return new OpenAICompatibleChatClient(options);
    }
}
