namespace EmpathyKit;

/// <summary>What went wrong when calling a model provider.</summary>
public enum ChatProviderErrorKind
{
    /// <summary>The provider could not be reached (connection refused, DNS, TLS).</summary>
    Unreachable,

    /// <summary>The request took longer than the configured timeout.</summary>
    Timeout,

    /// <summary>The provider rejected the credentials (HTTP 401 or 403).</summary>
    Unauthorized,

    /// <summary>The provider is rate limiting (HTTP 429) and retries were exhausted.</summary>
    RateLimited,

    /// <summary>The provider failed (HTTP 5xx) and retries were exhausted.</summary>
    ServerError,

    /// <summary>The provider rejected the request (another HTTP 4xx: unknown model, bad parameters).</summary>
    BadRequest,

    /// <summary>The provider answered with something that is not a usable chat completion.</summary>
    MalformedResponse,
}

/// <summary>
/// A model provider failed. The message names the kind and the HTTP status only: never the request, the response body
/// or any message text, so it is safe to log. <see cref="ISupportChat"/> turns it into a safe reply for the user.
/// </summary>
public sealed class ChatProviderException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public ChatProviderException()
        : this(ChatProviderErrorKind.ServerError, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A content-free description.</param>
    public ChatProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A content-free description.</param>
    /// <param name="innerException">The cause (must itself be content-free).</param>
    public ChatProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="statusCode">The HTTP status, when there was one.</param>
    public ChatProviderException(ChatProviderErrorKind kind, int? statusCode)
        : base(statusCode is { } status ? $"The model provider failed: {kind} (HTTP {status})." : $"The model provider failed: {kind}.")
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    /// <summary>Gets what went wrong.</summary>
    public ChatProviderErrorKind Kind { get; }

    /// <summary>Gets the HTTP status, when there was one.</summary>
    public int? StatusCode { get; }
}
