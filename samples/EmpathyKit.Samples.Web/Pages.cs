using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace EmpathyKit.Samples.Web;

/// <summary>The one page rendered on the server: the operators' sign-in form, with its antiforgery token (no inline script or style).</summary>
public static class Pages
{
    public static string Login(AntiforgeryTokenSet tokens, bool failed) => $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>EmpathyKit operator sign-in</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/site.css"></head>
        <body>
        <main class="narrow">
        <h1>Operator sign-in</h1>
        {(failed ? "<p class=\"error\" role=\"alert\">The user name or password is wrong.</p>" : string.Empty)}
        <form method="post" action="/operator/login">
        <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
        <label>User name <input name="username" autocomplete="username" required maxlength="128"></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit">Sign in</button>
        </form>
        </main>
        </body>
        </html>
        """;
}
