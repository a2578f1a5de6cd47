using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EmpathyKit.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace EmpathyKit.Tests.Diagnostics;

/// <summary>No message text, PII or key material reaches a log line (at any level), an activity or a metric.</summary>
public sealed class NoContentInTelemetryTests
{
    private static readonly string[] Canaries = ["zelda", "canary", "kill myself", "example.com", "07700 900461", "pills"];

    [Fact]
    public async Task Turns_with_pii_crisis_and_failures_leave_no_content_in_logs_traces_or_metrics()
    {
        var captured = new ConcurrentBag<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "EmpathyKit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                captured.Add(activity.DisplayName);
                foreach (KeyValuePair<string, string?> tag in activity.Tags)
                {
                    captured.Add(tag.Key + "=" + tag.Value);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "EmpathyKit")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Capture(captured, instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Capture(captured, instrument, tags));
        meters.Start();

        var provider = new FakeChatClient(messages => messages[^1].Text.Contains("fail", StringComparison.Ordinal)
            ? throw new InvalidOperationException("provider down: " + messages[^1].Text)
            : messages[^1].Text.Contains("mg", StringComparison.Ordinal)
                ? "I hear you. Maybe take 40 mg of something tonight."
                : "You said [EMAIL_1] and [PERSON_9]. That must be hard.");
        using var host = new TestHost(provider, services: s => s.AddLogging(b => b.AddProvider(new CapturingLoggerProvider(captured)).SetMinimumLevel(LogLevel.Trace)));

        await host.Chat.SendAsync("c-telemetry", "I'm Zelda, mail zelda.canary@example.com or call 07700 900461");
        await host.Chat.SendAsync("c-telemetry", "zelda here again, please fail now");
        await host.Chat.SendAsync("c-telemetry", "I have the pills and I want to kill myself tonight");
        await foreach (SupportReplyUpdate _ in host.Chat.StreamAsync("c-telemetry-2", "canary: should I take 40 mg, zelda asks"))
        {
        }

        meters.RecordObservableInstruments();
        Assert.NotEmpty(captured);
        Assert.Contains(captured, c => c.StartsWith("empathykit.crisis", StringComparison.Ordinal));
        Assert.Contains(captured, c => c.StartsWith("Escalation ", StringComparison.Ordinal));
        Assert.Contains(captured, c => c.StartsWith("The support pipeline failed", StringComparison.Ordinal));
        Assert.Contains(captured, c => c.StartsWith("Output guard replaced a reply", StringComparison.Ordinal));
        Assert.Contains("empathykit.turn.duration", captured);
        Assert.Contains("empathykit.pii.entities", captured);
        foreach (string item in captured)
        {
            foreach (string canary in Canaries)
            {
                Assert.DoesNotContain(canary, item, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static void Capture(ConcurrentBag<string> captured, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        captured.Add(instrument.Name);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            captured.Add(tag.Key + "=" + tag.Value);
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentBag<string> captured) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(captured);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentBag<string> captured) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            captured.Add(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (KeyValuePair<string, object?> value in values)
                {
                    captured.Add(value.Key + "=" + value.Value);
                }
            }

            // An exception passed to a logger would carry its message; EmpathyKit logs exception types only.
            Assert.Null(exception);
        }
    }
}
