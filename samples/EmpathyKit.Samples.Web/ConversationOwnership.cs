using Microsoft.AspNetCore.DataProtection;

namespace EmpathyKit.Samples.Web;

/// <summary>
/// Which conversation a browser owns: <c>POST /api/conversations</c> starts one and sets an HttpOnly, SameSite=Strict
/// cookie holding its id, protected with ASP.NET Core Data Protection; every later call for that conversation must
/// carry it. A conversation id alone gives no access to anyone's messages.
/// </summary>
public sealed class ConversationOwnership
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "ek_chat";

    private readonly IDataProtector _protector;

    public ConversationOwnership(IDataProtectionProvider provider)
    {
        _protector = provider.CreateProtector("EmpathyKit.Samples.Web.Conversation.v1");
    }

    /// <summary>Starts a conversation for this client: a fresh id, set in the cookie.</summary>
    public string Start(HttpContext context)
    {
        string id = "conv_" + Guid.NewGuid().ToString("N");
        context.Response.Cookies.Append(CookieName, _protector.Protect(id), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
        });
        return id;
    }

    /// <summary>Whether the request carries the cookie of conversation <paramref name="id"/>.</summary>
    public bool Owns(HttpContext context, string id)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out string? value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            return string.Equals(_protector.Unprotect(value), id, StringComparison.Ordinal);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Forgets the conversation (after its data was deleted).</summary>
    public static void Forget(HttpContext context) => context.Response.Cookies.Delete(CookieName);
}
