using System.Net.Http;
using EmpathyKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Uses an OpenAI-compatible model as an EmpathyKit pipeline's provider.</summary>
public static class OpenAIEmpathyKitBuilderExtensions
{
    /// <summary>
    /// Uses a model served by OpenAI, Azure OpenAI (v1 endpoint) or an OpenAI-compatible server as the provider. The
    /// options are named after the pipeline, bound from the configuration section <c>{pipeline}:OpenAI</c>
    /// (<c>EmpathyKit:OpenAI</c> for the default pipeline) when the host registers an <see cref="IConfiguration"/>, then
    /// <paramref name="configure"/> runs; they are validated when the host starts, so a missing model or key fails then,
    /// with a clear message.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the model, endpoint, key and limits, after configuration binding; <see langword="null"/> for configuration alone.</param>
    /// <param name="httpClient">
    /// The HTTP client to send through (a proxy, the host's handlers, <c>IHttpClientFactory.CreateClient(name)</c>);
    /// <see langword="null"/> for the one named by <see cref="OpenAIProviderOptions.HttpClientName"/> from
    /// <see cref="IHttpClientFactory"/>, or the SDK's own.
    /// </param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Like any provider set with <c>UseChatClient</c>, the model is also asked by default for a redacted second opinion on
    /// crisis risk, beside the reply (one more, small request on turns below the short-circuit level); set
    /// <c>EmpathyKit:Crisis:ModelSecondOpinion</c> to <see langword="false"/> to turn it off.
    /// </remarks>
    public static IEmpathyKitBuilder UseOpenAI(this IEmpathyKitBuilder builder, Action<OpenAIProviderOptions>? configure = null, Func<IServiceProvider, HttpClient>? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = builder.Name;
        OptionsBuilder<OpenAIProviderOptions> options = builder.Services.AddOptions<OpenAIProviderOptions>(name);
        builder.Services.AddSingleton<IConfigureOptions<OpenAIProviderOptions>>(sp => new BindFromConfiguration(name, sp.GetService<IConfiguration>()));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIProviderOptions>, OpenAIProviderOptionsValidator>());
        return builder.UseChatClient(sp =>
        {
            OpenAIProviderOptions resolved = sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get(name);
            HttpClient? client = httpClient?.Invoke(sp)
                ?? (resolved.HttpClientName is { } clientName
                    ? (sp.GetService<IHttpClientFactory>() ?? throw new InvalidOperationException($"{name}:OpenAI:HttpClientName is set to '{clientName}', but no IHttpClientFactory is registered: call services.AddHttpClient(\"{clientName}\").")).CreateClient(clientName)
                    : null);
            return new OpenAICompatibleChatClient(resolved, client);
        });
    }

    /// <summary>Binds the pipeline's section (<c>{pipeline}:OpenAI</c>) when the host has configuration; runs before the code's own <c>configure</c>.</summary>
    private sealed class BindFromConfiguration(string name, IConfiguration? configuration) : IConfigureNamedOptions<OpenAIProviderOptions>
    {
        public void Configure(string? optionsName, OpenAIProviderOptions options)
        {
            if (optionsName == name && configuration is not null)
            {
                configuration.GetSection(name + ":OpenAI").Bind(options);
            }
        }

        public void Configure(OpenAIProviderOptions options) => Configure(Options.Options.DefaultName, options);
    }

    /// <summary>Validates each pipeline's provider options at start, with the messages of <see cref="OpenAIProviderOptions.Validate"/>.</summary>
    private sealed class OpenAIProviderOptionsValidator : IValidateOptions<OpenAIProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, OpenAIProviderOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (InvalidOperationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
