// The EmpathyKit web sample: a chat page for users at /, an operator console at /operator, and the small JSON API both
// use (docs/web.md). Offline by default (the offline responder, the development key, SQLite in the data folder);
// --model [--endpoint URL] [--api-key-env VAR] uses an OpenAI-compatible model. The port comes from --urls or
// ASPNETCORE_URLS. `-- hash-password` prints a password hash for an operator's configuration.
using EmpathyKit.Samples.Web;

if (args is ["hash-password", ..])
{
    return OperatorAccounts.HashPasswordCommand(Console.In, Console.Out);
}

WebApplication? app = WebSample.Build(args, out string? usage);
if (app is null)
{
    await Console.Error.WriteLineAsync(usage);
    return 2;
}

await app.RunAsync();
return 0;
