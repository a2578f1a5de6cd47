using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Cli.Chat;

/// <summary>
/// <c>empathykit chat</c>: talk to a full EmpathyKit pipeline in the terminal, offline by default or with a model
/// (<c>--model</c>, optionally <c>--endpoint</c> and <c>--api-key-env</c>). Transcripts are kept in memory only and
/// are gone when the command ends. With <c>--report</c> each turn's decisions (risk, emotions, mood, guard, empathy
/// score) are printed to standard error.
/// </summary>
internal static class ChatCommand
{
    /// <summary>What the chat runs against.</summary>
    internal sealed record Settings(string? Model, Uri? Endpoint, string ApiKeyVariable, bool Report, string? Country);

    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Use this model (OpenAI, Azure deployment, or a compatible server's model) instead of the offline responder." };
        var endpoint = new Option<Uri?>("--endpoint", "-e") { Description = "Base URL of an OpenAI-compatible API (e.g. http://localhost:11434/v1 for Ollama; https://RESOURCE.openai.azure.com/openai/v1/ for Azure). Needs --model." };
        var keyVariable = new Option<string>("--api-key-env") { Description = "The environment variable holding the API key (never pass a key on the command line).", DefaultValueFactory = _ => "OPENAI_API_KEY" };
        var report = new Option<bool>("--report") { Description = "Print each turn's risk, emotions, mood, guard verdict and empathy score to standard error." };
        var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country for crisis lines (e.g. US, GB)." };
        var command = new Command("chat", "Talk to the support pipeline in the terminal: offline by default, or with a model via --model.") { model, endpoint, keyVariable, report, country };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new Settings(parseResult.GetValue(model), parseResult.GetValue(endpoint), parseResult.GetValue(keyVariable)!, parseResult.GetValue(report), parseResult.GetValue(country));
            return await RunAsync(settings, Console.In, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the chat loop over <paramref name="input"/> (one message a line; <c>/quit</c> ends).</summary>
    /// <returns>0 done, 2 usage or configuration error.</returns>
    public static async Task<int> RunAsync(Settings settings, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (settings.Endpoint is not null && string.IsNullOrWhiteSpace(settings.Model))
        {
            await error.WriteLineAsync("empathykit chat: --endpoint needs --model.");
            return 2;
        }

        string folder = Path.Combine(Path.GetTempPath(), "empathykit-chat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string keyFile = Path.Combine(folder, "session.key");
            KeyFileTranscriptKeyProvider.CreateKeyFile(keyFile);
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.None));
            IEmpathyKitBuilder builder = services.AddEmpathyKit(o =>
                {
                    o.Country = settings.Country;

                    // No operator watches a terminal chat: a request for a person is told so, with the crisis lines.
                    o.Handoff.Enabled = false;
                })
                .UseInMemoryTranscripts()
                .UseKeyFile(keyFile);
            if (settings.Model is { Length: > 0 } name)
            {
                builder.UseOpenAI(o =>
                {
                    o.Model = name;
                    o.Endpoint = settings.Endpoint;
                    o.ApiKeyEnvironmentVariable = settings.ApiKeyVariable;
                });
            }
            else
            {
                builder.UseOfflineResponder();
            }

            await using ServiceProvider provider = services.BuildServiceProvider();
            ISupportChat chat;
            try
            {
                chat = provider.GetRequiredService<ISupportChat>();
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                await error.WriteLineAsync($"empathykit chat: {ex.Message}");
                return 2;
            }

            await error.WriteLineAsync(settings.Model is null
                ? "EmpathyKit chat (offline responder, no network). Transcripts stay in memory. /quit ends."
                : $"EmpathyKit chat (model {settings.Model}{(settings.Endpoint is null ? string.Empty : " at " + settings.Endpoint.GetLeftPart(UriPartial.Authority))}). The model sees redacted text only. /quit ends.");
            string conversation = "chat-" + Guid.NewGuid().ToString("N");
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Trim().Equals("/quit", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }

                await output.WriteAsync("bot> ");
                SupportReply? reply = null;
                await foreach (SupportReplyUpdate update in chat.StreamAsync(conversation, line, cancellationToken: cancellationToken))
                {
                    await output.WriteAsync(update.TextDelta.Replace("\n", "\n     ", StringComparison.Ordinal));
                    reply = update.Completed ?? reply;
                }

                await output.WriteLineAsync();
                if (settings.Report && reply is not null)
                {
                    await error.WriteLineAsync(Describe(reply));
                }
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One line of the turn's decisions: labels and numbers only, never text.</summary>
    internal static string Describe(SupportReply reply)
    {
        TurnReport r = reply.Report;
        CultureInfo c = CultureInfo.InvariantCulture;
        string emotions = r.Sentiment is { } s
            ? string.Join(',', s.Emotions.Where(e => e.Value >= 0.2).OrderByDescending(e => e.Value).Take(3).Select(e => string.Create(c, $"{e.Key.ToWireName()}:{e.Value:0.0}")))
            : "-";
        string mood = r.Mood is { } m ? string.Create(c, $"{m.Valences[^1]:+0.00;-0.00} trend {m.Trend:+0.00;-0.00}{(m.Declining ? " (declining)" : string.Empty)}") : "-";
        string guard = r.Guard is { Passed: false } g ? "replaced (" + string.Join(',', g.Violations) + ")" : "passed";
        string empathy = r.Empathy is { } e
            ? string.Create(c, $"{e.Total}/6 (ER {e.EmotionalReaction}, IP {e.Interpretation}, EX {e.Exploration}){(e.Flags.Count > 0 ? " flags " + string.Join(',', e.Flags) : string.Empty)}")
            : "-";
        return $"  [risk {reply.Risk.Level.ToWireName()}; emotions {emotions}; mood {mood}; guard {guard}; empathy {empathy}; disclaimers {string.Join(',', r.Disclaimers.Select(d => d.Kind))}; source {r.ReplySource}]";
    }
}
