using System.ComponentModel.DataAnnotations;

namespace EmpathyKit;

/// <summary>
/// Options of the OpenAI-compatible provider: the model, where it is served, the key, and the limits of each call.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>OpenAI: set <see cref="Model"/>; the key comes from <see cref="ApiKey"/> or the variable named by <see cref="ApiKeyEnvironmentVariable"/>.</item>
/// <item>Azure OpenAI: <see cref="Endpoint"/> = <c>https://RESOURCE.openai.azure.com/openai/v1/</c>, <see cref="Model"/> = the deployment name, the resource's key.</item>
/// <item>Ollama, vLLM, llama.cpp, LM Studio: <see cref="Endpoint"/> = the server's <c>/v1</c> base URL (for example <c>http://localhost:11434/v1</c>); a key is optional.</item>
/// </list>
/// </remarks>
public sealed class OpenAIProviderOptions
{
    /// <summary>Gets or sets the model (or Azure deployment) name.</summary>
    [Required(AllowEmptyStrings = false)]
    public string? Model { get; set; }

    /// <summary>Gets or sets the base URL of an OpenAI-compatible API; <see langword="null"/> for OpenAI itself.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets whether a plain-http <see cref="Endpoint"/> on another machine is allowed (loopback is always allowed).</summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool AllowUnencryptedHttp { get; set; }

    /// <summary>Gets or sets the API key. Prefer <see cref="ApiKeyEnvironmentVariable"/> so the key stays out of configuration files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the environment variable the key is read from when <see cref="ApiKey"/> is not set.</summary>
    /// <value>Default: <c>OPENAI_API_KEY</c>.</value>
    public string? ApiKeyEnvironmentVariable { get; set; } = "OPENAI_API_KEY";

    /// <summary>Gets or sets how long one HTTP attempt may take (until the response starts, and between streamed chunks).</summary>
    /// <value>Default: 30 seconds. Between 1 second and 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a whole call may take, retries and streaming included.</summary>
    /// <value>Default: 60 seconds. Between 1 second and 30 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets how many times a failed attempt is retried (connection failures, HTTP 408, 429 and 5xx, with
    /// exponential back-off that honours <c>Retry-After</c>). A stream is never retried once text has arrived.
    /// </summary>
    /// <value>Default: 2. Between 0 and 10.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Gets or sets the sampling temperature, unless the call's <c>ChatOptions</c> set one.</summary>
    /// <value>Default: 0.7. Between 0 and 2.</value>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; } = 0.7f;

    /// <summary>Gets or sets the most tokens a reply may have, unless the call's <c>ChatOptions</c> set a limit.</summary>
    /// <value>Default: 400. Between 1 and 32,768.</value>
    [Range(1, 32_768)]
    public int MaxOutputTokens { get; set; } = 400;

    /// <summary>
    /// Gets or sets the name of the <see cref="System.Net.Http.IHttpClientFactory"/> client to send through (with
    /// <c>UseOpenAI</c>); <see langword="null"/> for the SDK's own HTTP client.
    /// </summary>
    public string? HttpClientName { get; set; }

    /// <summary>Checks the options, including that a key can be found; throws with a clear message when they cannot work.</summary>
    /// <exception cref="InvalidOperationException">The options are not valid.</exception>
    public void Validate() => ResolveApiKey();

    /// <summary>Validates the options and resolves the key.</summary>
    /// <returns>The API key to send (a placeholder for a compatible server that needs none).</returns>
    /// <exception cref="InvalidOperationException">The options are not valid.</exception>
    internal string ResolveApiKey()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new InvalidOperationException("EmpathyKit:OpenAI is not valid: " + string.Join(" ", results.Select(r => r.ErrorMessage)));
        }

        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)))
        {
            throw new InvalidOperationException("EmpathyKit:OpenAI:Endpoint must be an absolute http or https URL, such as http://localhost:11434/v1.");
        }

        if (Endpoint is { } plain && plain.Scheme == Uri.UriSchemeHttp && !plain.IsLoopback && !AllowUnencryptedHttp)
        {
            throw new InvalidOperationException("EmpathyKit:OpenAI:Endpoint uses plain http to a host that is not this machine, so messages would cross the network unencrypted. Use https, or set AllowUnencryptedHttp for a trusted private network.");
        }

        if (TotalTimeout < AttemptTimeout)
        {
            throw new InvalidOperationException("EmpathyKit:OpenAI:TotalTimeout must be at least AttemptTimeout.");
        }

        string? key = ApiKey;
        if (string.IsNullOrWhiteSpace(key) && !string.IsNullOrWhiteSpace(ApiKeyEnvironmentVariable))
        {
            key = Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable);
        }

        if (!string.IsNullOrWhiteSpace(key))
        {
            return key;
        }

        return Endpoint is null
            ? throw new InvalidOperationException($"No API key for OpenAI: set EmpathyKit:OpenAI:ApiKey or the {ApiKeyEnvironmentVariable ?? "OPENAI_API_KEY"} environment variable, or set an Endpoint for a compatible server.")
            : "no-key";
    }
}
